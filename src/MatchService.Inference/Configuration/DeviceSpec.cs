using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatchService.Inference.Configuration;

/// <summary>Kind of device an instance runs on.</summary>
public enum DeviceKind
{
    Cpu,
    Cuda,
}

/// <summary>A device as config.json names it: <c>cpu</c> or <c>cuda:N</c>.</summary>
[JsonConverter(typeof(DeviceSpecJsonConverter))]
public readonly record struct DeviceSpec(DeviceKind Kind, int Index)
{
    /// <summary>The CPU.</summary>
    public static DeviceSpec Cpu => new(DeviceKind.Cpu, 0);

    /// <summary>Parses <c>cpu</c> or <c>cuda:N</c> (N ≥ 0); <c>cuda</c> alone means <c>cuda:0</c>.</summary>
    public static bool TryParse(string? text, out DeviceSpec device)
    {
        device = Cpu;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var t = text.Trim().ToLowerInvariant();
        if (t == "cpu")
        {
            return true;
        }

        if (t == "cuda")
        {
            device = new DeviceSpec(DeviceKind.Cuda, 0);
            return true;
        }

        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
        {
            device = new DeviceSpec(DeviceKind.Cuda, index);
            return true;
        }

        return false;
    }

    /// <inheritdoc />
    public override string ToString() => Kind == DeviceKind.Cpu ? "cpu" : $"cuda:{Index}";
}

/// <summary>Reads and writes a <see cref="DeviceSpec"/> as its config.json word.</summary>
internal sealed class DeviceSpecJsonConverter : JsonConverter<DeviceSpec>
{
    public override DeviceSpec Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && DeviceSpec.TryParse(reader.GetString(), out var device)
            ? device
            : throw new JsonException(); // ModelConfigFile words the error from the path and the value

    public override void Write(Utf8JsonWriter writer, DeviceSpec value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
