using System.Text.Json;

namespace MatchService.Inference.Configuration;

/// <summary>
/// Reads one JSON object of config.json field by field, so that every error names its dotted field path and every
/// key nobody asked for is reported as unknown (a typo must not pass silently).
/// </summary>
internal sealed class JsonFields
{
    private readonly JsonElement _obj;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public JsonFields(string configPath, string path, JsonElement obj)
    {
        ConfigPath = configPath;
        Path = path;
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Error(string.Empty, $"must be an object (got {Describe(obj)})");
        }

        _obj = obj;
    }

    public string ConfigPath { get; }

    public string Path { get; }

    public string FieldPath(string key) => Path.Length == 0 ? key : key.Length == 0 ? Path : $"{Path}.{key}";

    public ModelConfigException Error(string key, string message) => new(ConfigPath, FieldPath(key), message);

    /// <summary>The raw value, or null when absent or JSON null.</summary>
    public JsonElement? Raw(string key)
    {
        _read.Add(key);
        return _obj.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;
    }

    public bool Has(string key) => _obj.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    public string? String(string key, bool required = false)
    {
        var v = Raw(key);
        if (v is null)
        {
            return required ? throw Error(key, "is required") : null;
        }

        if (v.Value.ValueKind != JsonValueKind.String)
        {
            throw Error(key, $"must be a string (got {Describe(v.Value)})");
        }

        var s = v.Value.GetString()!;
        return required && string.IsNullOrWhiteSpace(s) ? throw Error(key, "must not be empty") : s;
    }

    public int? Int(string key, int min, bool required = false)
    {
        var v = Raw(key);
        if (v is null)
        {
            return required ? throw Error(key, "is required") : null;
        }

        if (v.Value.ValueKind != JsonValueKind.Number || !v.Value.TryGetInt32(out var i))
        {
            throw Error(key, $"must be an integer (got {Describe(v.Value)})");
        }

        return i < min ? throw Error(key, $"must be >= {min} (got {i})") : i;
    }

    public double? Double(string key, double? exclusiveMin = null)
    {
        var v = Raw(key);
        if (v is null)
        {
            return null;
        }

        if (v.Value.ValueKind != JsonValueKind.Number)
        {
            throw Error(key, $"must be a number (got {Describe(v.Value)})");
        }

        var d = v.Value.GetDouble();
        return exclusiveMin is { } m && !(d > m) ? throw Error(key, $"must be > {m} (got {d})") : d;
    }

    public bool? Bool(string key)
    {
        var v = Raw(key);
        return v is null ? null
            : v.Value.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.Value.GetBoolean()
            : throw Error(key, $"must be true or false (got {Describe(v.Value)})");
    }

    public TEnum? Enum<TEnum>(string key, bool required = false)
        where TEnum : struct, Enum
    {
        var s = String(key, required);
        if (s is null)
        {
            return null;
        }

        return SnakeCase.TryParse<TEnum>(s, out var value)
            ? value
            : throw Error(key, $"must be one of {string.Join(" | ", SnakeCase.Words<TEnum>())} (got \"{s}\")");
    }

    public float[]? Floats(string key)
    {
        var v = Raw(key);
        if (v is null)
        {
            return null;
        }

        if (v.Value.ValueKind != JsonValueKind.Array)
        {
            throw Error(key, $"must be an array of numbers (got {Describe(v.Value)})");
        }

        var list = new List<float>();
        var i = 0;
        foreach (var e in v.Value.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number)
            {
                throw Error($"{key}[{i}]", $"must be a number (got {Describe(e)})");
            }

            list.Add(e.GetSingle());
            i++;
        }

        return [.. list];
    }

    public int[]? Ints(string key, int min)
    {
        var v = Raw(key);
        if (v is null)
        {
            return null;
        }

        if (v.Value.ValueKind != JsonValueKind.Array)
        {
            throw Error(key, $"must be an array of integers (got {Describe(v.Value)})");
        }

        var list = new List<int>();
        var i = 0;
        foreach (var e in v.Value.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out var n))
            {
                throw Error($"{key}[{i}]", $"must be an integer (got {Describe(e)})");
            }

            if (n < min)
            {
                throw Error($"{key}[{i}]", $"must be >= {min} (got {n})");
            }

            list.Add(n);
            i++;
        }

        return [.. list];
    }

    public JsonFields? Object(string key)
    {
        var v = Raw(key);
        return v is null ? null : new JsonFields(ConfigPath, FieldPath(key), v.Value);
    }

    public IReadOnlyList<JsonFields>? Objects(string key)
    {
        var v = Raw(key);
        if (v is null)
        {
            return null;
        }

        if (v.Value.ValueKind != JsonValueKind.Array)
        {
            throw Error(key, $"must be an array of objects (got {Describe(v.Value)})");
        }

        return v.Value.EnumerateArray().Select((e, i) => new JsonFields(ConfigPath, FieldPath($"{key}[{i}]"), e)).ToArray();
    }

    /// <summary>Fails on the first key that no reader asked for.</summary>
    public void RejectUnknown()
    {
        foreach (var p in _obj.EnumerateObject())
        {
            if (!_read.Contains(p.Name))
            {
                throw Error(p.Name, "is not a known field");
            }
        }
    }

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"\"{e.GetString()}\"",
        JsonValueKind.Number => e.GetRawText(),
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
