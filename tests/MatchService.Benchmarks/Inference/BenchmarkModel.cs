using Google.Protobuf;
using MatchService.ModelForge.Graph;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// A convolutional embedder of realistic shape for the engine benchmark: 150×150×3 NHWC input, five stages of 3×3
/// convolutions (strides 2, 2, 1, 2, 1 with repeats), global average pooling and a 128-d projection. Written with
/// ModelForge's graph builder, like every other generated model.
/// </summary>
internal static class BenchmarkModel
{
    public const int Size = 150;
    public const int EmbeddingDim = 128;

    /// <summary>The graph bytes and its multiply-accumulate count per image.</summary>
    public static (byte[] Onnx, double GigaMacs) Build(int width = 32, int repeats = 2, int seed = 1)
    {
        var rng = new Random(seed);
        var g = new OnnxGraphBuilder("bench_cnn");
        var current = g.Node("Transpose", [g.Input("image", Size, Size, 3)], "nchw", Attr.Ints("perm", 0, 3, 1, 2));
        var stages = new List<(int Out, int Stride)> { (width, 2), (width * 2, 2) };
        stages.AddRange(Enumerable.Repeat((width * 2, 1), repeats));
        stages.Add((width * 4, 2));
        stages.AddRange(Enumerable.Repeat((width * 4, 1), repeats));

        int cin = 3, hw = Size;
        double macs = 0;
        foreach (var (cout, stride) in stages)
        {
            hw = ((hw + 2 - 3) / stride) + 1;
            macs += (double)hw * hw * cin * cout * 9;
            var weights = g.Constant("w", Random(rng, cout * cin * 9, MathF.Sqrt(2f / (cin * 9))), cout, cin, 3, 3);
            var bias = g.Constant("b", Random(rng, cout, 0.01f), cout);
            var conv = g.Node("Conv", [current, weights, bias], "conv",
                Attr.Ints("kernel_shape", 3, 3), Attr.Ints("pads", 1, 1, 1, 1), Attr.Ints("strides", stride, stride));
            current = g.Node("Relu", [conv], "relu");
            cin = cout;
        }

        var projection = g.Constant("proj", Random(rng, cin * EmbeddingDim, MathF.Sqrt(1f / cin)), cin, EmbeddingDim);
        var flat = g.Node("Flatten", [g.Node("GlobalAveragePool", [current], "pool")], "flat", Attr.Count("axis", 1));
        g.Output(g.Node("MatMul", [flat, projection], "projected"), "embedding", EmbeddingDim);
        macs += cin * EmbeddingDim;
        return (g.Build("MatchService.Benchmarks", "engine benchmark CNN").ToByteArray(), macs / 1e9);
    }

    private static float[] Random(Random rng, int n, float scale) =>
        Enumerable.Range(0, n).Select(_ => (float)((rng.NextDouble() * 2) - 1) * scale).ToArray();
}
