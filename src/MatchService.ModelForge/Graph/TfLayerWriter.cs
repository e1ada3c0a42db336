using MatchService.ModelForge.Weights;

namespace MatchService.ModelForge.Graph;

/// <summary>
/// Writes TensorFlow-style layers (NHWC weights: HWIO filters, HWC1 depthwise filters) as ONNX NCHW operators,
/// reproducing TensorFlow's padding exactly and folding per-channel affine steps into the convolution.
/// </summary>
public sealed class TfLayerWriter(OnnxGraphBuilder graph)
{
    /// <summary>The underlying graph.</summary>
    public OnnxGraphBuilder Graph { get; } = graph;

    /// <summary>Declares an NHWC float input and transposes it to NCHW.</summary>
    public FeatureMap NhwcInput(string name, int height, int width, int channels)
    {
        Graph.Input(name, height, width, channels);
        var nchw = Graph.Node("Transpose", [name], "to_nchw", Attr.Ints("perm", 0, 3, 1, 2));
        return new FeatureMap(nchw, channels, height, width);
    }

    /// <summary>
    /// conv2d with an HWIO filter, then <c>(· + bias) × scale + shift</c> per output channel (each optional),
    /// folded into the ONNX Conv's weights and bias.
    /// </summary>
    public FeatureMap Conv(FeatureMap x, WeightTensor filter, int stride, TfPadding padding, string hint,
        float[]? bias = null, float[]? scale = null, float[]? shift = null)
    {
        var (kh, kw, cin, cout) = (filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]);
        if (cin != x.Channels)
        {
            throw new InvalidDataException($"{filter.Name}: filter expects {cin} input channels, the feature map has {x.Channels}");
        }
        var w = new float[cout * cin * kh * kw];
        for (var h = 0; h < kh; h++)
        {
            for (var v = 0; v < kw; v++)
            {
                for (var i = 0; i < cin; i++)
                {
                    for (var o = 0; o < cout; o++)
                    {
                        w[(((o * cin) + i) * kh + h) * kw + v] = filter.Values[(((h * kw) + v) * cin + i) * cout + o];
                    }
                }
            }
        }
        return EmitConv(x, w, cout, cin, kh, kw, group: 1, stride, padding, hint, bias, scale, shift);
    }

    /// <summary>Depthwise conv2d with an HWC1 filter (channel multiplier 1), with the same folding as <see cref="Conv"/>.</summary>
    public FeatureMap DepthwiseConv(FeatureMap x, WeightTensor filter, int stride, TfPadding padding, string hint,
        float[]? bias = null, float[]? scale = null, float[]? shift = null)
    {
        var (kh, kw, c, m) = (filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]);
        if (c != x.Channels || m != 1)
        {
            throw new InvalidDataException($"{filter.Name}: depthwise filter [{kh},{kw},{c},{m}] does not fit {x.Channels} channels");
        }
        var w = new float[c * kh * kw];
        for (var h = 0; h < kh; h++)
        {
            for (var v = 0; v < kw; v++)
            {
                for (var i = 0; i < c; i++)
                {
                    w[((i * kh) + h) * kw + v] = filter.Values[((h * kw) + v) * c + i];
                }
            }
        }
        return EmitConv(x, w, c, 1, kh, kw, group: c, stride, padding, hint, bias, scale, shift);
    }

    /// <summary>max(x, 0).</summary>
    public FeatureMap Relu(FeatureMap x) => x with { Name = Graph.Node("Relu", [x.Name]) };

    /// <summary>min(max(x, 0), 6).</summary>
    public FeatureMap Relu6(FeatureMap x) =>
        x with { Name = Graph.Node("Clip", [x.Name, Graph.Scalar("zero", 0f), Graph.Scalar("six", 6f)], "relu6") };

    /// <summary>Element-wise sum of two maps of the same shape.</summary>
    public FeatureMap Add(FeatureMap a, FeatureMap b)
    {
        if (a.Channels != b.Channels || a.Height != b.Height || a.Width != b.Width)
        {
            throw new InvalidOperationException($"add: shapes differ ({a} vs {b})");
        }
        return a with { Name = Graph.Node("Add", [a.Name, b.Name]) };
    }

    /// <summary>Max pooling without padding (TensorFlow 'valid').</summary>
    public FeatureMap MaxPool(FeatureMap x, int kernel, int stride) =>
        Pool("MaxPool", x, kernel, stride);

    /// <summary>Average pooling without padding (TensorFlow 'valid').</summary>
    public FeatureMap AvgPool(FeatureMap x, int kernel, int stride) =>
        Pool("AveragePool", x, kernel, stride);

    /// <summary>Zero padding at the end of the channel, height and width axes.</summary>
    public FeatureMap PadEnd(FeatureMap x, int channels, int height, int width)
    {
        var pads = Graph.Int64s("pads", 0, 0, 0, 0, 0, channels, height, width);
        return new FeatureMap(Graph.Node("Pad", [x.Name, pads], "pad"), x.Channels + channels, x.Height + height, x.Width + width);
    }

    private FeatureMap Pool(string op, FeatureMap x, int kernel, int stride)
    {
        var oh = ((x.Height - kernel) / stride) + 1;
        var ow = ((x.Width - kernel) / stride) + 1;
        var name = Graph.Node(op, [x.Name], op.ToLowerInvariant(),
            Attr.Ints("kernel_shape", kernel, kernel), Attr.Ints("strides", stride, stride), Attr.Ints("pads", 0, 0, 0, 0));
        return new FeatureMap(name, x.Channels, oh, ow);
    }

    private FeatureMap EmitConv(FeatureMap x, float[] w, int cout, int cinPerGroup, int kh, int kw, int group, int stride,
        TfPadding padding, string hint, float[]? bias, float[]? scale, float[]? shift)
    {
        var b = new float[cout];
        var perOut = cinPerGroup * kh * kw;
        for (var o = 0; o < cout; o++)
        {
            var s = scale?[o] ?? 1f;
            b[o] = ((bias?[o] ?? 0f) * s) + (shift?[o] ?? 0f);
            if (scale is not null)
            {
                for (var k = 0; k < perOut; k++)
                {
                    w[(o * perOut) + k] *= s;
                }
            }
        }
        var (oh, top, bottom) = Padding(x.Height, kh, stride, padding);
        var (ow, left, right) = Padding(x.Width, kw, stride, padding);
        var wName = Graph.Constant(hint + "_w", w, cout, cinPerGroup, kh, kw);
        var bName = Graph.Constant(hint + "_b", b, cout);
        var name = Graph.Node("Conv", [x.Name, wName, bName], hint,
            Attr.Ints("kernel_shape", kh, kw), Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", top, left, bottom, right), Attr.Count("group", group));
        return new FeatureMap(name, cout, oh, ow);
    }

    /// <summary>TensorFlow's output size and (before, after) padding along one axis.</summary>
    public static (int Output, int Before, int After) Padding(int input, int kernel, int stride, TfPadding padding)
    {
        if (padding == TfPadding.Valid)
        {
            return (((input - kernel) / stride) + 1, 0, 0);
        }
        var output = (input + stride - 1) / stride;
        var total = Math.Max(((output - 1) * stride) + kernel - input, 0);
        return (output, total / 2, total - (total / 2));
    }
}
