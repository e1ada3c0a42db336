namespace MatchService.Benchmarks.Inference;

/// <summary>
/// A convolutional embedder of realistic shape for the engine benchmark: 150×150×3 NHWC input, five stages of 3×3
/// convolutions (strides 2, 2, 1, 2, 1 with repeats), global average pooling and a 128-d projection.
/// </summary>
internal static class BenchmarkModel
{
    public const int Size = 150;
    public const int EmbeddingDim = 128;

    /// <summary>The graph bytes and its multiply-accumulate count per image.</summary>
    public static (byte[] Onnx, double GigaMacs) Build(int width = 32, int repeats = 2, int seed = 1)
    {
        var rng = new Random(seed);
        var graph = new OnnxWire().String(2, "bench_cnn");
        var nodes = new List<OnnxWire> { OnnxWire.Node("Transpose", ["image"], ["x0"], OnnxWire.IntsAttr("perm", 0, 3, 1, 2)) };
        var stages = new List<(int Out, int Stride)> { (width, 2), (width * 2, 2) };
        stages.AddRange(Enumerable.Repeat((width * 2, 1), repeats));
        stages.Add((width * 4, 2));
        stages.AddRange(Enumerable.Repeat((width * 4, 1), repeats));

        int cin = 3, hw = Size, k = 0;
        double macs = 0;
        var current = "x0";
        foreach (var (cout, stride) in stages)
        {
            hw = ((hw + 2 - 3) / stride) + 1;
            macs += (double)hw * hw * cin * cout * 9;
            var scale = MathF.Sqrt(2f / (cin * 9));
            graph.Message(5, OnnxWire.FloatTensor($"w{k}", Random(rng, cout * cin * 9, scale), cout, cin, 3, 3));
            graph.Message(5, OnnxWire.FloatTensor($"b{k}", Random(rng, cout, 0.01f), cout));
            nodes.Add(OnnxWire.Node("Conv", [current, $"w{k}", $"b{k}"], [$"c{k}"],
                OnnxWire.IntsAttr("kernel_shape", 3, 3), OnnxWire.IntsAttr("pads", 1, 1, 1, 1), OnnxWire.IntsAttr("strides", stride, stride)));
            nodes.Add(OnnxWire.Node("Relu", [$"c{k}"], [$"r{k}"]));
            current = $"r{k}";
            cin = cout;
            k++;
        }

        graph.Message(5, OnnxWire.FloatTensor("proj", Random(rng, cin * EmbeddingDim, MathF.Sqrt(1f / cin)), cin, EmbeddingDim));
        nodes.Add(OnnxWire.Node("GlobalAveragePool", [current], ["pool"]));
        nodes.Add(OnnxWire.Node("Flatten", ["pool"], ["flat"], OnnxWire.IntAttr("axis", 1)));
        nodes.Add(OnnxWire.Node("MatMul", ["flat", "proj"], ["embedding"]));
        macs += cin * EmbeddingDim;

        foreach (var n in nodes)
        {
            graph.Message(1, n);
        }

        graph.Message(11, OnnxWire.FloatValue("image", "N", Size, Size, 3));
        graph.Message(12, OnnxWire.FloatValue("embedding", "N", EmbeddingDim));
        return (OnnxWire.Model(graph, 13).ToArray(), macs / 1e9);
    }

    private static float[] Random(Random rng, int n, float scale) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1) * scale).ToArray();
}
