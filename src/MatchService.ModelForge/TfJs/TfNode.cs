using System.Globalization;
using System.Text;
using System.Text.Json;
using Onnx;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// One node of a TF.js graph model's GraphDef: its op, data inputs (<c>node</c> or <c>node:k</c>; control inputs
/// <c>^node</c> are dropped) and attributes as TF.js writes them in JSON (ints as strings, strings base64).
/// </summary>
public sealed record TfNode(string Name, string Op, IReadOnlyList<string> Inputs, IReadOnlyDictionary<string, JsonElement> Attributes)
{
    /// <summary>Reads one element of <c>modelTopology.node</c>.</summary>
    public static TfNode Parse(JsonElement node)
    {
        var inputs = node.TryGetProperty("input", out var i)
            ? i.EnumerateArray().Select(e => e.GetString()!).Where(s => !s.StartsWith('^')).ToList()
            : [];
        var attributes = node.TryGetProperty("attr", out var a)
            ? a.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal)
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        return new TfNode(node.GetProperty("name").GetString()!, node.GetProperty("op").GetString()!, inputs, attributes);
    }

    /// <summary>Whether the attribute is present.</summary>
    public bool Has(string attribute) => Attributes.ContainsKey(attribute);

    /// <summary>An int attribute (<c>{"i": "3"}</c>), or <paramref name="fallback"/> when absent.</summary>
    public long Number(string attribute, long fallback = 0) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("i", out var i) ? ParseInt(i) : fallback;

    /// <summary>A float attribute (<c>{"f": 0.2}</c>), or <paramref name="fallback"/> when absent.</summary>
    public float Real(string attribute, float fallback = 0f) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("f", out var f) ? f.GetSingle() : fallback;

    /// <summary>A bool attribute (<c>{"b": true}</c>), or <paramref name="fallback"/> when absent.</summary>
    public bool Bool(string attribute, bool fallback = false) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("b", out var b) ? b.GetBoolean() : fallback;

    /// <summary>A string attribute (<c>{"s": base64}</c>), or <paramref name="fallback"/> when absent.</summary>
    public string Text(string attribute, string fallback = "") =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("s", out var s)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(s.GetString()!))
            : fallback;

    /// <summary>A list-of-int attribute (<c>{"list": {"i": [...]}}</c>); empty when absent.</summary>
    public long[] Ints(string attribute) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("list", out var l) && l.TryGetProperty("i", out var i)
            ? i.EnumerateArray().Select(ParseInt).ToArray()
            : [];

    /// <summary>A list-of-string attribute (<c>{"list": {"s": [base64...]}}</c>); empty when absent.</summary>
    public string[] Texts(string attribute) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("list", out var l) && l.TryGetProperty("s", out var s)
            ? s.EnumerateArray().Select(e => Encoding.UTF8.GetString(Convert.FromBase64String(e.GetString()!))).ToArray()
            : [];

    /// <summary>A type attribute (<c>{"type": "DT_FLOAT"}</c>) as an ONNX element type, or null when absent.</summary>
    public TensorProto.Types.DataType? Type(string attribute) =>
        Attributes.TryGetValue(attribute, out var v) && v.TryGetProperty("type", out var t) ? TfDataTypes.ToOnnx(t.GetString()!, this) : null;

    /// <summary>A shape attribute's dimensions (-1 unknown), or null when absent or of unknown rank.</summary>
    public long[]? Shape(string attribute)
    {
        if (!Attributes.TryGetValue(attribute, out var v) || !v.TryGetProperty("shape", out var shape) || shape.TryGetProperty("unknownRank", out _))
        {
            return null;
        }
        return shape.TryGetProperty("dim", out var dims)
            ? dims.EnumerateArray().Select(d => d.TryGetProperty("size", out var size) ? ParseInt(size) : -1).ToArray()
            : [];
    }

    /// <summary>The node's name and op, for error messages.</summary>
    public override string ToString() => $"node '{Name}' ({Op})";

    private static long ParseInt(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetInt64() : long.Parse(e.GetString()!, CultureInfo.InvariantCulture);
}

/// <summary>TensorFlow data types as ONNX element types.</summary>
public static class TfDataTypes
{
    /// <summary>DT_FLOAT, DT_INT32, DT_INT64, DT_BOOL as ONNX element types; other types are refused with the node.</summary>
    public static TensorProto.Types.DataType ToOnnx(string tfType, TfNode node) => tfType switch
    {
        "DT_FLOAT" => TensorProto.Types.DataType.Float,
        "DT_INT32" => TensorProto.Types.DataType.Int32,
        "DT_INT64" => TensorProto.Types.DataType.Int64,
        "DT_BOOL" => TensorProto.Types.DataType.Bool,
        _ => throw new NotSupportedException($"{node}: data type {tfType} is not supported (float32, int32, int64, bool are)"),
    };
}
