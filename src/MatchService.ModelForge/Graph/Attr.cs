using Onnx;

namespace MatchService.ModelForge.Graph;

/// <summary>Node attributes, built by type.</summary>
public static class Attr
{
    /// <summary>An int64 attribute (a count, flag or axis).</summary>
    public static AttributeProto Count(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    /// <summary>A float attribute.</summary>
    public static AttributeProto Real(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    /// <summary>A list-of-int64 attribute.</summary>
    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>A string attribute (modes such as auto_pad).</summary>
    public static AttributeProto Text(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };
}
