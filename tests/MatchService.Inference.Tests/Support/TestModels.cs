using Google.Protobuf;
using MatchService.ModelForge.Graph;
using DT = Onnx.TensorProto.Types.DataType;

namespace MatchService.Inference.Tests.Support;

/// <summary>The small generated models the engine tests run, written with ModelForge's graph builder.</summary>
internal static class TestModels
{
    /// <summary>x [N,D] → y = 2x + 1 [N,D] and sum = Σx [N,1].</summary>
    public static byte[] Affine(int dim)
    {
        var g = new OnnxGraphBuilder("affine");
        var x = g.Input("x", dim);
        g.Output(g.Node("Add", [g.Node("Mul", [x, g.Scalar("two", 2f)]), g.Scalar("one", 1f)]), "y", dim);
        g.Output(g.Node("ReduceSum", [x, g.Int64s("axes", 1)], "total", Attr.Count("keepdims", 1)), "sum", 1);
        return Bytes(g);
    }

    /// <summary>
    /// x [N,D] → y = 2x, but it gathers from a 10-entry table at index (int)x: any value outside [-10, 10) makes
    /// ONNX Runtime fail the run — a model that fails on certain input values.
    /// </summary>
    public static byte[] FailsOnLargeValues(int dim)
    {
        var g = new OnnxGraphBuilder("fails_on_large_values");
        var x = g.Input("x", dim);
        var index = g.Node("Cast", [x], "index", Attr.Count("to", (long)DT.Int64));
        var gathered = g.Node("Gather", [g.Constant("table", new float[10], 10), index], "gathered", Attr.Count("axis", 0));
        g.Output(g.Node("Add", [g.Node("Mul", [x, g.Scalar("two", 2f)]), gathered]), "y", dim);
        return Bytes(g);
    }

    /// <summary>
    /// An NHWC image model: Transpose → Conv 3×3 (seeded weights) → Relu → GlobalAveragePool → Flatten → embedding [N,K].
    /// </summary>
    public static byte[] ConvEmbedder(int height, int width, int channels, int features, int seed = 7)
    {
        var rng = new Random(seed);
        var w = Enumerable.Range(0, features * channels * 9).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
        var b = Enumerable.Range(0, features).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var g = new OnnxGraphBuilder("conv_embedder");
        var nchw = g.Node("Transpose", [g.Input("image", height, width, channels)], "nchw", Attr.Ints("perm", 0, 3, 1, 2));
        var conv = g.Node("Conv", [nchw, g.Constant("w", w, features, channels, 3, 3), g.Constant("b", b, features)], "conv",
            Attr.Ints("pads", 1, 1, 1, 1), Attr.Ints("kernel_shape", 3, 3));
        var pooled = g.Node("GlobalAveragePool", [g.Node("Relu", [conv])], "pool");
        g.Output(g.Node("Flatten", [pooled], "flat", Attr.Count("axis", 1)), "embedding", features);
        return Bytes(g);
    }

    /// <summary>x uint8 [N,H,W,C] → y float [N,H·W·C] (the raw values as floats).</summary>
    public static byte[] Uint8Passthrough(int height, int width, int channels)
    {
        var g = new OnnxGraphBuilder("uint8_passthrough");
        var x = g.TypedInput("x", DT.Uint8, [null, height, width, channels]);
        var asFloat = g.Node("Cast", [x], "as_float", Attr.Count("to", (long)DT.Float));
        g.Output(g.Node("Flatten", [asFloat], "flat", Attr.Count("axis", 1)), "y", height * width * channels);
        return Bytes(g);
    }

    private static byte[] Bytes(OnnxGraphBuilder g) => g.Build("MatchService.Inference.Tests", "engine test model").ToByteArray();
}
