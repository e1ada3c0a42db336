using Onnx;
using static MatchService.Inference.Tests.Support.OnnxGraphBuilder;
using DT = Onnx.TensorProto.Types.DataType;

namespace MatchService.Inference.Tests.Support;

/// <summary>The small generated models the engine tests run.</summary>
internal static class TestModels
{
    /// <summary>x [N,D] → y = 2x + 1 [N,D] and sum = Σx [N,1].</summary>
    public static byte[] Affine(int dim) => new OnnxGraphBuilder()
        .Input("x", DT.Float, "N", dim)
        .Output("y", DT.Float, "N", dim)
        .Output("sum", DT.Float, "N", 1)
        .Floats("two", [2f])
        .Floats("one", [1f])
        .Int64s("axes", [1], 1)
        .Node("Mul", ["x", "two"], ["x2"])
        .Node("Add", ["x2", "one"], ["y"])
        .Node("ReduceSum", ["x", "axes"], ["sum"], Int("keepdims", 1))
        .Build();

    /// <summary>
    /// x [N,D] → y = 2x, but it gathers from a 10-entry table at index (int)x: any value outside [-10, 10) makes
    /// ONNX Runtime fail the run — a model that fails on certain input values.
    /// </summary>
    public static byte[] FailsOnLargeValues(int dim) => new OnnxGraphBuilder()
        .Input("x", DT.Float, "N", dim)
        .Output("y", DT.Float, "N", dim)
        .Floats("table", new float[10], 10)
        .Floats("two", [2f])
        .Node("Cast", ["x"], ["idx"], Int("to", (long)DT.Int64))
        .Node("Gather", ["table", "idx"], ["g"], Int("axis", 0))
        .Node("Mul", ["x", "two"], ["x2"])
        .Node("Add", ["x2", "g"], ["y"])
        .Build();

    /// <summary>
    /// An NHWC image model: Transpose → Conv 3×3 (seeded weights) → Relu → GlobalAveragePool → Flatten → embedding [N,K].
    /// </summary>
    public static byte[] ConvEmbedder(int height, int width, int channels, int features, int seed = 7)
    {
        var rng = new Random(seed);
        var w = Enumerable.Range(0, features * channels * 9).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var b = Enumerable.Range(0, features).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        return new OnnxGraphBuilder()
            .Input("image", DT.Float, "N", height, width, channels)
            .Output("embedding", DT.Float, "N", features)
            .Floats("w", w, features, channels, 3, 3)
            .Floats("b", b, features)
            .Node("Transpose", ["image"], ["nchw"], Ints("perm", 0, 3, 1, 2))
            .Node("Conv", ["nchw", "w", "b"], ["conv"], Ints("pads", 1, 1, 1, 1), Ints("kernel_shape", 3, 3))
            .Node("Relu", ["conv"], ["relu"])
            .Node("GlobalAveragePool", ["relu"], ["pool"])
            .Node("Flatten", ["pool"], ["embedding"], Int("axis", 1))
            .Build();
    }

    /// <summary>x uint8 [N,H,W,C] → y float [N,H·W·C] (the raw values as floats).</summary>
    public static byte[] Uint8Passthrough(int height, int width, int channels) => new OnnxGraphBuilder()
        .Input("x", DT.Uint8, "N", height, width, channels)
        .Output("y", DT.Float, "N", height * width * channels)
        .Node("Cast", ["x"], ["f"], Int("to", (long)DT.Float))
        .Node("Flatten", ["f"], ["y"], Int("axis", 1))
        .Build();
}
