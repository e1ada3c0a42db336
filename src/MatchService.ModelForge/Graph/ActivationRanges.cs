using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatchService.ModelForge.Graph;

/// <summary>The smallest and largest value a float tensor took over the calibration inputs.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>The union of two ranges.</summary>
    public ActivationRange Union(ActivationRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}

/// <summary>
/// The calibrated ranges of a float model's activations, as committed next to the code that quantizes it: which model
/// and which inputs they were measured on, and each activation's <c>[min, max]</c>.
/// </summary>
public sealed record ActivationRanges(string Model, string Calibration, IReadOnlyDictionary<string, float[]> Ranges)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The ranges as <see cref="QdqQuantizer.Quantize"/> takes them.</summary>
    public IReadOnlyDictionary<string, ActivationRange> ToQuantizerRanges() =>
        Ranges.ToDictionary(r => r.Key, r => r.Value.Length == 2
            ? new ActivationRange(r.Value[0], r.Value[1])
            : throw new InvalidDataException($"activation '{r.Key}': expected [min, max], got {r.Value.Length} values"), StringComparer.Ordinal);

    /// <summary>Reads the JSON form.</summary>
    public static ActivationRanges Parse(string json, string source) =>
        JsonSerializer.Deserialize<ActivationRanges>(json, Json) ?? throw new InvalidDataException($"{source}: empty activation ranges");

    /// <summary>Writes the JSON form (sorted by activation name, so that a re-measure shows as a small diff).</summary>
    public string ToJson() => JsonSerializer.Serialize(this with
    {
        Ranges = new SortedDictionary<string, float[]>(Ranges.ToDictionary(r => r.Key, r => r.Value), StringComparer.Ordinal),
    }, Json);

    /// <summary>Ranges embedded in ModelForge under <paramref name="resource"/> (the file's name in its project folder).</summary>
    public static ActivationRanges Embedded(string resource)
    {
        using var stream = typeof(ActivationRanges).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"ModelForge has no embedded activation ranges '{resource}'");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd(), resource);
    }
}
