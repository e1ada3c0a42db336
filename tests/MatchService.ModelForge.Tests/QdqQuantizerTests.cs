using Google.Protobuf;
using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace MatchService.ModelForge.Tests;

/// <summary>The QDQ rewrite on a small residual net: ONNX Runtime fuses it into int8 kernels, and it computes what the float net does.</summary>
public sealed class QdqQuantizerTests
{
    private const int Side = 12;

    [Fact]
    public void ResidualNetBecomesInt8KernelsWithTheReluFoldedIn()
    {
        var net = ResidualNet();
        var quantized = QdqQuantizer.Quantize(net, Calibrate(net, Inputs(seed: 1, count: 8)));

        var ops = ActivationCalibration.OptimizedOpTypes(quantized.ToByteArray());
        Assert.Equal(2, ops.Count(o => o == "QLinearConv"));
        Assert.Equal(1, ops.Count(o => o == "QLinearAdd"));
        // A Relu survives only where its zero point is not 0: none may.
        Assert.DoesNotContain("Relu", ops);
        Assert.DoesNotContain("Conv", ops);
        // The float weights are gone: only their int8 (and int32 bias) forms remain.
        Assert.DoesNotContain(quantized.Graph.Initializer, i => i.DataType == (int)TensorProto.Types.DataType.Float && i.Dims.Count == 4);
    }

    [Fact]
    public void Int8OutputStaysWithinAFewStepsOfTheFloatOutputOnUnseenInputs()
    {
        var net = ResidualNet();
        var quantized = QdqQuantizer.Quantize(net, Calibrate(net, Inputs(seed: 1, count: 8)));
        var unseen = Inputs(seed: 2, count: 4);
        var expected = Run(net, unseen);
        var actual = Run(quantized, unseen);
        var span = expected.Max() - expected.Min();
        var worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= 0.03 * span, $"worst error {worst} of a {span} output range");
        // And the rewrite changed the arithmetic (an unquantized copy would pass the check above trivially).
        Assert.NotEqual(expected, actual);
    }

    [Fact]
    public void AMissingRangeIsRefusedByName()
    {
        var net = ResidualNet();
        var ranges = Calibrate(net, Inputs(seed: 1, count: 2)).Where(r => r.Key != "relu_sum").ToDictionary();
        var e = Assert.Throws<ArgumentException>(() => QdqQuantizer.Quantize(net, ranges));
        Assert.Contains("'relu_sum'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1f, 3f, null)]
    [InlineData(2f, 5f, 0)]
    [InlineData(-4f, -1f, 255)]
    public void TheCodesCoverTheRangeWidenedToZero(float min, float max, int? zeroPoint)
    {
        var (scale, zp) = QdqQuantizer.Uint8Params(new ActivationRange(min, max));
        Assert.True(scale > 0);
        // Code 0 and code 255 reach the range's ends within half a step; 0 itself is the zero point (exact).
        Assert.InRange((0 - zp) * scale, Math.Min(min, 0) - (scale / 2), Math.Min(min, 0) + (scale / 2));
        Assert.InRange((255 - zp) * scale, Math.Max(max, 0) - (scale / 2), Math.Max(max, 0) + (scale / 2));
        if (zeroPoint is { } expected)
        {
            Assert.Equal(expected, zp);
        }
    }

    // input → conv+bias → relu → conv → (+ the relu's output) → relu → max pool → mean
    private static ModelProto ResidualNet()
    {
        var g = new OnnxGraphBuilder("residual");
        var x = g.Node("Transpose", [g.Input("input", Side, Side, 3)], "nchw", Attr.Ints("perm", 0, 3, 1, 2));
        var a = g.Node("Relu", [Conv(g, x, 3, 8, 1)], "relu_a");
        var b = Conv(g, a, 8, 8, 2);
        var sum = g.Node("Relu", [g.Node("Add", [b, a], "sum")], "relu_sum");
        var pooled = g.Node("MaxPool", [sum], "pool", Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2));
        g.Output(g.Node("ReduceMean", [pooled], "mean", Attr.Ints("axes", 2, 3), Attr.Count("keepdims", 0)), "out", 8);
        return g.Build("tests", "a residual block for the QDQ rewrite");
    }

    private static string Conv(OnnxGraphBuilder g, string x, int cin, int cout, int seed)
    {
        var random = new Random(seed);
        var w = g.Constant("w", [.. Enumerable.Range(0, cout * cin * 9).Select(_ => (float)(random.NextDouble() - 0.5))], cout, cin, 3, 3);
        var b = g.Constant("b", [.. Enumerable.Range(0, cout).Select(_ => (float)(random.NextDouble() - 0.5))], cout);
        return g.Node("Conv", [x, w, b], "conv", Attr.Ints("pads", 1, 1, 1, 1));
    }

    private static List<float[]> Inputs(int seed, int count)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, Side * Side * 3).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray())];
    }

    private static Dictionary<string, ActivationRange> Calibrate(ModelProto net, List<float[]> inputs) =>
        ActivationCalibration.Measure(net, "input", [Side, Side, 3], inputs);

    private static float[] Run(ModelProto net, List<float[]> inputs)
    {
        using var session = new InferenceSession(net.ToByteArray());
        return [.. inputs.SelectMany(input =>
        {
            using var value = OrtValue.CreateTensorValueFromMemory(input, [1, Side, Side, 3]);
            using var outputs = session.Run(new RunOptions(), ["input"], [value], ["out"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        })];
    }
}
