using System.Text;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// Writes the few onnx.proto messages the benchmark model needs straight in protobuf wire format (field numbers from
/// onnx.proto), so the benchmark needs no generated classes.
/// </summary>
internal sealed class OnnxWire
{
    private readonly List<byte> _s = [];

    public byte[] ToArray() => _s.ToArray();

    public OnnxWire Varint(int field, long value)
    {
        Tag(field, 0);
        WriteVarint((ulong)value);
        return this;
    }

    public OnnxWire Bytes(int field, ReadOnlySpan<byte> bytes)
    {
        Tag(field, 2);
        WriteVarint((ulong)bytes.Length);
        _s.AddRange(bytes);
        return this;
    }

    public OnnxWire String(int field, string s) => Bytes(field, Encoding.UTF8.GetBytes(s));

    public OnnxWire Message(int field, OnnxWire m) => Bytes(field, m.ToArray());

    // --- onnx.proto messages -------------------------------------------------------------------

    public static OnnxWire Model(OnnxWire graph, int opset) => new OnnxWire()
        .Varint(1, 8) // ir_version
        .Message(8, new OnnxWire().String(1, string.Empty).Varint(2, opset)) // opset_import
        .Message(7, graph);

    public static OnnxWire Node(string op, string[] inputs, string[] outputs, params OnnxWire[] attributes)
    {
        var n = new OnnxWire();
        foreach (var i in inputs)
        {
            n.String(1, i);
        }

        foreach (var o in outputs)
        {
            n.String(2, o);
        }

        n.String(4, op);
        foreach (var a in attributes)
        {
            n.Message(5, a);
        }

        return n;
    }

    public static OnnxWire IntAttr(string name, long value) => new OnnxWire().String(1, name).Varint(3, value).Varint(20, 2);

    public static OnnxWire IntsAttr(string name, params long[] values)
    {
        var a = new OnnxWire().String(1, name);
        foreach (var v in values)
        {
            a.Varint(8, v);
        }

        return a.Varint(20, 7);
    }

    public static OnnxWire FloatTensor(string name, float[] values, params long[] dims)
    {
        var t = new OnnxWire();
        foreach (var d in dims)
        {
            t.Varint(1, d);
        }

        t.Varint(2, 1); // FLOAT
        t.String(8, name);
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return t.Bytes(9, raw);
    }

    /// <summary>A float tensor value info; a string dimension is symbolic (the batch).</summary>
    public static OnnxWire FloatValue(string name, params object[] dims)
    {
        var shape = new OnnxWire();
        foreach (var d in dims)
        {
            shape.Message(1, d is string p ? new OnnxWire().String(2, p) : new OnnxWire().Varint(1, Convert.ToInt64(d, System.Globalization.CultureInfo.InvariantCulture)));
        }

        var tensor = new OnnxWire().Varint(1, 1).Message(2, shape);
        return new OnnxWire().String(1, name).Message(2, new OnnxWire().Message(1, tensor));
    }

    private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong v)
    {
        while (v >= 0x80)
        {
            _s.Add((byte)(v | 0x80));
            v >>= 7;
        }

        _s.Add((byte)v);
    }
}
