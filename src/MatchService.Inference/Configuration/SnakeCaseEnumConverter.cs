using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatchService.Inference.Configuration;

/// <summary>
/// Enums as config.json's words: one snake_case word per member (<c>FaceEmbedder</c> → <c>face_embedder</c>, or the
/// member's <see cref="JsonStringEnumMemberNameAttribute"/>), read in any letter case. Unlike JsonStringEnumConverter it
/// takes nothing else: no numbers, no comma lists ("nhwc, nchw"), no C# member names, no surrounding spaces.
/// </summary>
internal sealed class SnakeCaseEnumConverter : JsonConverterFactory
{
    /// <summary>The config.json word of an enum member.</summary>
    public static string Word(Enum value)
    {
        var name = value.ToString();
        return value.GetType().GetField(name)?.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name
            ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }

    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(WordConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class WordConverter<TEnum> : JsonConverter<TEnum>
        where TEnum : struct, Enum
    {
        private static readonly Dictionary<string, TEnum> ByWord =
            Enum.GetValues<TEnum>().ToDictionary(v => Word(v), StringComparer.OrdinalIgnoreCase);

        public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && ByWord.TryGetValue(reader.GetString()!, out var value)
                ? value
                : throw new JsonException(); // ModelConfigFile words the error from the path and the value

        public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
            writer.WriteStringValue(Word(value));
    }
}
