using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace MatchService.Inference.Configuration;

/// <summary>
/// <c>models/&lt;name&gt;/config.json</c> in and out with System.Text.Json: snake_case keys and words, comments and
/// trailing commas allowed, unknown keys and nulls where no null belongs are errors. Every error is a
/// <see cref="ModelConfigException"/> naming the file and the field; the value rules are <see cref="ModelConfigRules"/>.
/// </summary>
public static class ModelConfigFile
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    // The schema's serialiser options: the engine reads with them, ModelForge writes with them (through ToJson).
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new SnakeCaseEnumConverter() },
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WriteOnlyWhatAppliesToTheModel } },
    };

    /// <summary>Reads one config file; the model folder is the file's directory.</summary>
    /// <exception cref="ModelConfigException">The file cannot be read or does not fit the schema (names the field).</exception>
    public static async Task<ModelConfig> ReadAsync(string configPath, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(configPath, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ModelConfigException(configPath, string.Empty, $"cannot be read: {e.Message}", e);
        }

        return Parse(text, configPath);
    }

    /// <summary>Parses config text; <paramref name="configPath"/> names the file in errors and anchors the model folder.</summary>
    /// <exception cref="ModelConfigException">The text does not fit the schema (names the field).</exception>
    public static ModelConfig Parse(string json, string configPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(configPath, string.Empty,
                $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (doc)
        {
            ModelConfig? config;
            try
            {
                config = doc.RootElement.Deserialize<ModelConfig>(JsonOptions);
            }
            catch (JsonException e)
            {
                throw Explain(e, doc.RootElement, configPath);
            }

            return ModelConfigRules.Check(
                config ?? throw new ModelConfigException(configPath, string.Empty, "must be an object (got null)"),
                doc.RootElement, configPath);
        }
    }

    /// <summary>The text ModelForge writes: indented, keys the model does not use left out, trailing newline.</summary>
    public static string ToJson(ModelConfig config) => JsonSerializer.Serialize(config, JsonOptions) + "\n";

    /// <summary>The config.json word of an enum member, e.g. <c>FaceEmbedder</c> → <c>face_embedder</c>.</summary>
    public static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum => SnakeCaseEnumConverter.Word(value);

    /// <summary>
    /// Words what System.Text.Json reports (a path and a type it could not fill) as the schema speaks: the field, then
    /// "is not a known field", "is required", or what it must be and what it got.
    /// </summary>
    private static ModelConfigException Explain(JsonException e, JsonElement root, string configPath)
    {
        var info = JsonOptions.GetTypeInfo(typeof(ModelConfig));
        JsonElement? value = root;
        var field = string.Empty;
        foreach (var (key, index) in Segments(e.Path))
        {
            if (key is null)
            {
                field += $"[{index}]";
                info = JsonOptions.GetTypeInfo(info.ElementType ?? typeof(object));
                value = value is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
                continue;
            }

            field = field.Length == 0 ? key : $"{field}.{key}";
            var property = info.Properties.FirstOrDefault(p => p.Name == key);
            if (property is null)
            {
                return new ModelConfigException(configPath, field, "is not a known field", e);
            }

            info = JsonOptions.GetTypeInfo(property.PropertyType);
            value = value is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(key, out var v) ? v : null;
        }

        if (value is { ValueKind: JsonValueKind.Object } present && info.Kind == JsonTypeInfoKind.Object)
        {
            var missing = info.Properties.FirstOrDefault(p =>
                (p.IsRequired || p.AssociatedParameter is { HasDefaultValue: false }) && !present.TryGetProperty(p.Name, out _));
            if (missing is not null)
            {
                return new ModelConfigException(configPath, field.Length == 0 ? missing.Name : $"{field}.{missing.Name}", "is required", e);
            }

            return new ModelConfigException(configPath, field, $"does not fit the schema: {e.Message}", e); // not a case the schema words
        }

        return new ModelConfigException(configPath, field, $"must be {Expected(info)} (got {Describe(value)})", e);
    }

    private static string Expected(JsonTypeInfo info)
    {
        var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
        return type == typeof(string) ? "a string"
            : type == typeof(int) || type == typeof(long) ? "an integer"
            : type == typeof(float) || type == typeof(double) ? "a number"
            : type == typeof(bool) ? "true or false"
            : type == typeof(DeviceSpec) ? "cpu or cuda:N"
            : type.IsEnum ? "one of " + string.Join(" | ", Enum.GetValues(type).Cast<Enum>().Select(SnakeCaseEnumConverter.Word))
            : info.Kind == JsonTypeInfoKind.Enumerable ? "an array"
            : "an object";
    }

    private static string Describe(JsonElement? value) => value?.ValueKind switch
    {
        null => "nothing",
        JsonValueKind.String => $"\"{value.Value.GetString()}\"",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.Value.GetRawText(),
    };

    /// <summary>The keys and indices of a System.Text.Json path such as <c>$.input.mean[1]</c> or <c>$['a.b']</c>.</summary>
    private static IEnumerable<(string? Key, int Index)> Segments(string? path)
    {
        var p = path ?? "$";
        var i = 1;
        while (i < p.Length)
        {
            if (p[i] == '.')
            {
                var end = p.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? p.Length : end;
                yield return (p[(i + 1)..end], 0);
                i = end;
            }
            else if (p.AsSpan(i).StartsWith("['"))
            {
                var end = p.IndexOf("']", i + 2, StringComparison.Ordinal);
                yield return (p[(i + 2)..end], 0);
                i = end + 2;
            }
            else
            {
                var end = p.IndexOf(']', i);
                yield return (null, int.Parse(p.AsSpan(i + 1, end - i - 1), CultureInfo.InvariantCulture));
                i = end + 1;
            }
        }
    }

    /// <summary>
    /// Writing leaves out what the model does not use: an empty name (the folder names it), metric and normalize of a
    /// model without an embedding output, the image keys of a vector input and the <c>dim</c> of an image input; reading
    /// needs nothing here (the rules reject image keys on a vector input).
    /// </summary>
    private static void WriteOnlyWhatAppliesToTheModel(JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            if (info.Type == typeof(ModelConfig) && property.Name == "name")
            {
                property.ShouldSerialize = (_, value) => !string.IsNullOrEmpty((string?)value);
            }
            else if (info.Type == typeof(ModelConfig) && property.Name is "metric" or "normalize")
            {
                property.ShouldSerialize = (config, _) => ((ModelConfig)config).OutputFor(OutputMeaning.Embedding) is not null;
            }
            else if (info.Type == typeof(InputSpec) && property.Name == "dim")
            {
                property.ShouldSerialize = (input, _) => ((InputSpec)input).IsVector;
            }
            else if (info.Type == typeof(InputSpec) && ModelConfigRules.ImageKeys.Contains(property.Name))
            {
                property.ShouldSerialize = (input, value) => value is not null && !((InputSpec)input).IsVector;
            }
        }
    }
}
