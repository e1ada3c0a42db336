using Google.Protobuf;
using Onnx;

namespace MatchService.ModelForge.Graph;

/// <summary>
/// Rewrites a float model into ONNX's QDQ form, the form ONNX Runtime's CPU provider fuses into int8 kernels
/// (QLinearConv, QLinearAdd, QLinearAveragePool) that use VNNI where the processor has it:
/// activations uint8 with a scale and zero point from their calibrated range, convolution weights int8 symmetric per
/// output channel, biases int32 at the input scale × the weight scale. A Relu right after a convolution or sum is left
/// between them and its own QuantizeLinear (zero point 0), where ONNX Runtime drops it, so the pair runs as one kernel.
/// Operators outside <see cref="QuantizedOps"/> (the transposes, the head's mean and MatMul) stay float behind a
/// DequantizeLinear.
/// </summary>
public static class QdqQuantizer
{
    /// <summary>Operators whose inputs and outputs are carried as uint8.</summary>
    public static readonly IReadOnlySet<string> QuantizedOps =
        new HashSet<string>(StringComparer.Ordinal) { "Conv", "Add", "MaxPool", "AveragePool", "Pad" };

    // Operators that only move values: their output keeps the input's scale, which lets ONNX Runtime drop the
    // pair around them (MaxPool) or makes the pair around them exact (zero padding is the zero point).
    private static readonly HashSet<string> RangePreserving = new(StringComparer.Ordinal) { "MaxPool", "Pad" };

    /// <summary>The activations whose ranges <see cref="Quantize"/> needs, in graph order.</summary>
    public static IReadOnlyList<string> ActivationsToCalibrate(ModelProto model)
    {
        var g = new GraphShape(model.Graph);
        return model.Graph.Input.Select(i => i.Name).Concat(model.Graph.Node.SelectMany(n => n.Output))
            .Where(g.IsQuantized).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A copy of <paramref name="model"/> that also outputs <paramref name="tensors"/> (float, shape left open), for calibration.</summary>
    public static ModelProto WithExtraOutputs(ModelProto model, IEnumerable<string> tensors)
    {
        var copy = model.Clone();
        var existing = copy.Graph.Output.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var t in tensors.Where(existing.Add))
        {
            copy.Graph.Output.Add(new ValueInfoProto
            {
                Name = t,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        }
        return copy;
    }

    /// <summary>The QDQ model; <paramref name="ranges"/> must cover <see cref="ActivationsToCalibrate"/>.</summary>
    public static ModelProto Quantize(ModelProto model, IReadOnlyDictionary<string, ActivationRange> ranges)
    {
        var q = model.Clone();
        var graph = q.Graph;
        var shape = new GraphShape(graph);
        var initializers = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        var quantized = new Dictionary<string, (float Scale, byte ZeroPoint)>(StringComparer.Ordinal);
        var nodes = new List<NodeProto>();

        (float Scale, byte ZeroPoint) ParamsOf(string tensor)
        {
            if (quantized.TryGetValue(tensor, out var p))
            {
                return p;
            }
            var producer = shape.Producer(tensor);
            if (producer is not null && RangePreserving.Contains(producer.OpType) && shape.IsQuantized(producer.Input[0]))
            {
                p = ParamsOf(producer.Input[0]);
            }
            else
            {
                if (!ranges.TryGetValue(tensor, out var range))
                {
                    throw new ArgumentException($"no calibrated range for activation '{tensor}'", nameof(ranges));
                }
                // Relu's output is never negative: a zero point of 0 is what lets ONNX Runtime drop the Relu.
                p = Uint8Params(producer?.OpType == "Relu" ? range with { Min = 0 } : range);
            }
            quantized[tensor] = p;
            return p;
        }

        // Each quantized activation: one QuantizeLinear after its producer, one DequantizeLinear per consumer.
        // Keyed by reference: protobuf messages compare by value, and a convolution's inputs change below.
        var dequantizedFor = new Dictionary<NodeProto, Dictionary<string, string>>(ReferenceEqualityComparer.Instance);
        void Emit(string tensor)
        {
            if (graph.Output.Any(o => o.Name == tensor))
            {
                throw new NotSupportedException($"graph output '{tensor}' would be quantized; end the graph with a float operator");
            }
            var (scale, zeroPoint) = ParamsOf(tensor);
            var s = AddInitializer(graph, $"{tensor}_scale", TensorProto.Types.DataType.Float, [], ByteString.CopyFrom(BitConverter.GetBytes(scale)));
            var z = AddInitializer(graph, $"{tensor}_zero_point", TensorProto.Types.DataType.Uint8, [], ByteString.CopyFrom(zeroPoint));
            var q8 = $"{tensor}_q";
            nodes.Add(NewNode("QuantizeLinear", [tensor, s, z], q8, $"{tensor}_quantize"));
            var i = 0;
            foreach (var consumer in shape.Consumers(tensor))
            {
                var dq = $"{tensor}_dq{i++}";
                nodes.Add(NewNode("DequantizeLinear", [q8, s, z], dq, $"{dq}_node"));
                if (!dequantizedFor.TryGetValue(consumer, out var inputs))
                {
                    dequantizedFor[consumer] = inputs = new Dictionary<string, string>(StringComparer.Ordinal);
                }
                inputs[tensor] = dq;
            }
        }

        foreach (var input in graph.Input.Select(i => i.Name).Where(shape.IsQuantized))
        {
            Emit(input);
        }
        foreach (var node in graph.Node)
        {
            if (node.OpType == "Conv")
            {
                QuantizeConvWeights(graph, node, initializers, nodes, ParamsOf(node.Input[0]).Scale);
            }
            nodes.Add(node);
            foreach (var output in node.Output.Where(shape.IsQuantized))
            {
                Emit(output);
            }
        }
        foreach (var (node, inputs) in dequantizedFor)
        {
            for (var k = 0; k < node.Input.Count; k++)
            {
                if (inputs.TryGetValue(node.Input[k], out var dq))
                {
                    node.Input[k] = dq;
                }
            }
        }
        graph.Node.Clear();
        graph.Node.AddRange(nodes);

        // The float weights and biases the int8 ones replace.
        var used = nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        var unused = graph.Initializer.Where(i => !used.Contains(i.Name)).ToList();
        foreach (var initializer in unused)
        {
            graph.Initializer.Remove(initializer);
        }
        return q;
    }

    /// <summary>uint8 scale and zero point covering <paramref name="range"/> widened to include 0 (zero stays exact).</summary>
    public static (float Scale, byte ZeroPoint) Uint8Params(ActivationRange range)
    {
        var min = Math.Min(range.Min, 0f);
        var max = Math.Max(range.Max, 0f);
        if (max - min < 1e-12f)
        {
            return (1f, 0);
        }
        var scale = (max - min) / 255f;
        return (scale, (byte)Math.Clamp(MathF.Round(-min / scale), 0, 255));
    }

    // The float weight becomes int8 per output channel (axis 0) behind a DequantizeLinear; the float bias becomes
    // int32 at input scale × weight scale, the form QLinearConv takes it in.
    private static void QuantizeConvWeights(GraphProto graph, NodeProto conv, Dictionary<string, TensorProto> initializers,
        List<NodeProto> nodes, float inputScale)
    {
        if (!initializers.TryGetValue(conv.Input[1], out var weight))
        {
            throw new NotSupportedException($"conv '{conv.Name}': its weight is not an initializer");
        }
        var w = FloatValues(weight);
        var channels = (int)weight.Dims[0];
        var perChannel = w.Length / channels;
        var scales = new float[channels];
        var w8 = new byte[w.Length];
        for (var c = 0; c < channels; c++)
        {
            var span = w.AsSpan(c * perChannel, perChannel);
            var maxAbs = 0f;
            foreach (var v in span)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(v));
            }
            scales[c] = maxAbs > 0 ? maxAbs / 127f : 1f;
            for (var k = 0; k < perChannel; k++)
            {
                w8[(c * perChannel) + k] = unchecked((byte)(sbyte)Math.Clamp(MathF.Round(span[k] / scales[c]), -127, 127));
            }
        }
        var name = conv.Input[1];
        var wq = AddInitializer(graph, $"{name}_int8", TensorProto.Types.DataType.Int8, weight.Dims, ByteString.CopyFrom(w8));
        var ws = AddInitializer(graph, $"{name}_scale", TensorProto.Types.DataType.Float, [channels], Bytes(scales));
        var wz = AddInitializer(graph, $"{name}_zero_point", TensorProto.Types.DataType.Int8, [channels], ByteString.CopyFrom(new byte[channels]));
        var wdq = $"{name}_dq";
        nodes.Add(NewNode("DequantizeLinear", [wq, ws, wz], wdq, $"{wdq}_node", Attr.Count("axis", 0)));
        conv.Input[1] = wdq;

        if (conv.Input.Count > 2 && initializers.TryGetValue(conv.Input[2], out var bias))
        {
            var b = FloatValues(bias);
            var bScales = scales.Select(s => s * inputScale).ToArray();
            var b32 = new int[channels];
            for (var c = 0; c < channels; c++)
            {
                b32[c] = (int)Math.Clamp(Math.Round(b[c] / (double)bScales[c]), int.MinValue, int.MaxValue);
            }
            var bName = conv.Input[2];
            var bq = AddInitializer(graph, $"{bName}_int32", TensorProto.Types.DataType.Int32, [channels], Bytes(b32));
            var bs = AddInitializer(graph, $"{bName}_scale", TensorProto.Types.DataType.Float, [channels], Bytes(bScales));
            var bz = AddInitializer(graph, $"{bName}_zero_point", TensorProto.Types.DataType.Int32, [channels], Bytes(new int[channels]));
            var bdq = $"{bName}_dq";
            nodes.Add(NewNode("DequantizeLinear", [bq, bs, bz], bdq, $"{bdq}_node", Attr.Count("axis", 0)));
            conv.Input[2] = bdq;
        }
    }

    private static float[] FloatValues(TensorProto t)
    {
        if (t.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw new NotSupportedException($"initializer '{t.Name}' is not float");
        }
        if (t.FloatData.Count > 0)
        {
            return [.. t.FloatData];
        }
        var values = new float[t.RawData.Length / sizeof(float)];
        Buffer.BlockCopy(t.RawData.ToByteArray(), 0, values, 0, t.RawData.Length);
        return values;
    }

    private static ByteString Bytes<T>(T[] values) where T : unmanaged =>
        ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));

    private static string AddInitializer(GraphProto graph, string name, TensorProto.Types.DataType type, IEnumerable<long> dims, ByteString raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = raw };
        t.Dims.AddRange(dims);
        graph.Initializer.Add(t);
        return name;
    }

    private static NodeProto NewNode(string op, string[] inputs, string output, string name, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    // Who produces and who consumes each value, and which values travel as uint8.
    private sealed class GraphShape
    {
        private readonly Dictionary<string, NodeProto> _producers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, List<NodeProto>> _consumers = new(StringComparer.Ordinal);
        private readonly HashSet<string> _initializers;

        public GraphShape(GraphProto graph)
        {
            _initializers = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var node in graph.Node)
            {
                foreach (var o in node.Output)
                {
                    _producers[o] = node;
                }
                foreach (var i in node.Input.Where(i => i.Length > 0))
                {
                    if (!_consumers.TryGetValue(i, out var list))
                    {
                        _consumers[i] = list = [];
                    }
                    if (!list.Any(n => ReferenceEquals(n, node)))
                    {
                        list.Add(node);
                    }
                }
            }
        }

        public NodeProto? Producer(string tensor) => _producers.GetValueOrDefault(tensor);

        public List<NodeProto> Consumers(string tensor) => _consumers.GetValueOrDefault(tensor) ?? [];

        // A value is carried as uint8 when a quantized operator reads it as data (input 0 of Conv and Pad, either
        // input of Add), or when a quantized operator (or a Relu right after one) writes it, unless a lone Relu
        // follows: then the Relu's output carries it.
        public bool IsQuantized(string tensor)
        {
            if (_initializers.Contains(tensor))
            {
                return false;
            }
            var consumers = Consumers(tensor);
            if (consumers.Any(c => QuantizedOps.Contains(c.OpType) && ReadsAsData(c, tensor)))
            {
                return true;
            }
            var producer = Producer(tensor);
            if (producer is null)
            {
                return false;
            }
            if (producer.OpType == "Relu")
            {
                return Producer(producer.Input[0]) is { } before && QuantizedOps.Contains(before.OpType);
            }
            return QuantizedOps.Contains(producer.OpType) && !(consumers.Count == 1 && consumers[0].OpType == "Relu");
        }

        private static bool ReadsAsData(NodeProto node, string tensor) =>
            node.OpType == "Add" ? node.Input.Contains(tensor) : node.Input[0] == tensor;
    }
}
