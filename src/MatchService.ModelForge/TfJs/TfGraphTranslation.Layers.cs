using MatchService.ModelForge.Graph;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// Convolutions (plain, depthwise, with fused bias / batch norm / activation), matrix products, pooling and resizing.
/// Filters are constants: HWIO becomes OIHW, depthwise HWCM becomes (C·M)×1×H×W with group C.
/// </summary>
internal sealed partial class TfGraphTranslation
{
    private bool TranslateLayer(TfNode node)
    {
        switch (node.Op)
        {
            case "Conv2D" or "_FusedConv2D":
                Set(node, Convolution(node, depthwise: false));
                return true;
            case "DepthwiseConv2dNative" or "FusedDepthwiseConv2dNative":
                Set(node, Convolution(node, depthwise: true));
                return true;
            case "MatMul" or "_FusedMatMul":
                Set(node, MatMul(node));
                return true;
            case "MaxPool" or "AvgPool":
                Set(node, Pool(node));
                return true;
            case "ResizeBilinear" or "ResizeNearestNeighbor":
                Set(node, Resize(node));
                return true;
            default:
                return false;
        }
    }

    private string Convolution(TfNode node, bool depthwise)
    {
        RequireNhwc(node);
        var filter = Const(node, 1);
        var (kh, kw, a, b) = (filter.Shape[0], filter.Shape[1], filter.Shape[2], filter.Shape[3]);
        var (outChannels, inPerGroup, group) = depthwise ? (a * b, 1, a) : (b, a, 1);
        var w = new float[outChannels * inPerGroup * kh * kw];
        for (var h = 0; h < kh; h++)
        {
            for (var v = 0; v < kw; v++)
            {
                for (var i = 0; i < a; i++)
                {
                    for (var j = 0; j < b; j++)
                    {
                        // HWIO: o = j, input channel i. Depthwise HWCM: output channel i·M + j reads input channel i.
                        var (o, c) = depthwise ? ((i * b) + j, 0) : (j, i);
                        w[(((o * inPerGroup) + c) * kh + h) * kw + v] = filter.Values[(((((h * kw) + v) * a) + i) * b) + j];
                    }
                }
            }
        }
        var fused = node.Texts("fused_ops");
        var bias = FoldFusedAffine(node, fused, w, outChannels);
        var strides = node.Ints("strides");
        var dilations = node.Ints("dilations");
        var attributes = new List<AttributeProto>
        {
            Attr.Ints("kernel_shape", kh, kw),
            Attr.Ints("strides", strides.Length == 4 ? [strides[1], strides[2]] : [1, 1]),
            Attr.Ints("dilations", dilations.Length == 4 ? [dilations[1], dilations[2]] : [1, 1]),
            Attr.Count("group", group),
        };
        attributes.Add(PaddingAttribute(node));
        var inputs = new List<string>
        {
            ToNchw(In(node, 0)),
            Graph.Constant(Hint(node) + "_w", w, outChannels, inPerGroup, kh, kw),
        };
        if (bias is not null)
        {
            inputs.Add(Graph.Constant(Hint(node) + "_b", bias, outChannels));
        }
        var conv = Node("Conv", [.. inputs], node, [.. attributes]);
        return FusedActivation(node, fused, conv, nchw: true);
    }

    /// <summary>
    /// Folds the fused BiasAdd or FusedBatchNorm (args 0..) into the weights; returns the bias (null when there is
    /// none). A FusedBatchNorm's scale multiplies the output channel's weights.
    /// </summary>
    private float[]? FoldFusedAffine(TfNode node, string[] fused, float[] w, int outChannels)
    {
        if (fused.Length == 0)
        {
            return null;
        }
        if (fused[0] == "BiasAdd")
        {
            return Const(node, 2).Values;
        }
        if (fused[0] == "FusedBatchNorm")
        {
            var (scale, offset, mean, variance) = (Const(node, 2).Values, Const(node, 3).Values, Const(node, 4).Values, Const(node, 5).Values);
            var epsilon = node.Real("epsilon", 1e-3f);
            var bias = new float[outChannels];
            var perOut = w.Length / outChannels;
            for (var o = 0; o < outChannels; o++)
            {
                var s = scale[o] / MathF.Sqrt(variance[o] + epsilon);
                for (var k = 0; k < perOut; k++)
                {
                    w[(o * perOut) + k] *= s;
                }
                bias[o] = offset[o] - (mean[o] * s);
            }
            return bias;
        }
        throw new NotSupportedException($"{model.Path}: {node} fuses [{string.Join(", ", fused)}]; BiasAdd or FusedBatchNorm first is supported");
    }

    /// <summary>
    /// The activation after a fused conv/matmul (fused_ops[1]) on <paramref name="value"/>, returned in NHWC. An NCHW
    /// value (a Conv's output) is activated before the transpose back, so that ONNX Runtime can fuse Conv + activation.
    /// </summary>
    private string FusedActivation(TfNode node, string[] fused, string value, bool nchw)
    {
        string Back(string v) => nchw ? ToNhwc(v) : v;
        if (fused.Length < 2)
        {
            return Back(value);
        }
        if (fused.Length > 2)
        {
            throw new NotSupportedException($"{model.Path}: {node} fuses [{string.Join(", ", fused)}]; at most an affine step and one activation are supported");
        }
        return fused[1] switch
        {
            "Relu" or "Elu" or "Sigmoid" or "Tanh" => Back(Graph.Node(fused[1], [value], fused[1].ToLowerInvariant())),
            "LeakyRelu" => Back(Graph.Node("LeakyRelu", [value], "leakyrelu", Attr.Real("alpha", node.Real("leakyrelu_alpha", 0.2f)))),
            "Relu6" => Back(Graph.Node("Clip", [value, Graph.Scalar("zero", 0f), Graph.Scalar("six", 6f)], "relu6")),
            // PReLU's alpha is per channel on the last (NHWC) axis.
            "Prelu" => Graph.Node("PRelu", [Back(value), In(node, 3)], "prelu"),
            _ => throw new NotSupportedException($"{model.Path}: {node} fuses activation '{fused[1]}', which is not supported"),
        };
    }

    private AttributeProto PaddingAttribute(TfNode node) => node.Text("padding") switch
    {
        "SAME" => Attr.Text("auto_pad", "SAME_UPPER"),
        "VALID" => Attr.Text("auto_pad", "VALID"),
        "EXPLICIT" when node.Ints("explicit_paddings") is { Length: 8 } p => Attr.Ints("pads", p[2], p[4], p[3], p[5]),
        var other => throw new NotSupportedException($"{model.Path}: {node} has padding '{other}'"),
    };

    private void RequireNhwc(TfNode node)
    {
        var format = node.Text("data_format", "NHWC");
        if (format != "NHWC")
        {
            throw new NotSupportedException($"{model.Path}: {node} uses data_format {format}; only NHWC is supported");
        }
    }

    private string MatMul(TfNode node)
    {
        var a = node.Bool("transpose_a") ? Graph.Node("Transpose", [In(node, 0)], "transpose_a", Attr.Ints("perm", 1, 0)) : In(node, 0);
        var b = node.Bool("transpose_b") ? Graph.Node("Transpose", [In(node, 1)], "transpose_b", Attr.Ints("perm", 1, 0)) : In(node, 1);
        var product = Node("MatMul", [a, b], node);
        var fused = node.Texts("fused_ops");
        if (fused.Length == 0)
        {
            return product;
        }
        if (fused[0] != "BiasAdd")
        {
            throw new NotSupportedException($"{model.Path}: {node} fuses [{string.Join(", ", fused)}]; BiasAdd first is supported");
        }
        return FusedActivation(node, fused, Graph.Node("Add", [product, In(node, 2)], "bias"), nchw: false);
    }

    private string Pool(TfNode node)
    {
        RequireNhwc(node);
        var k = node.Ints("ksize");
        var s = node.Ints("strides");
        var op = node.Op == "MaxPool" ? "MaxPool" : "AveragePool";
        var pooled = Node(op, [ToNchw(In(node, 0))], node,
            Attr.Ints("kernel_shape", k[1], k[2]), Attr.Ints("strides", s[1], s[2]), PaddingAttribute(node));
        return ToNhwc(pooled);
    }

    // TF: align_corners, half_pixel_centers or neither ("legacy", src = dst × in / out); ONNX names the same rules.
    private string Resize(TfNode node)
    {
        var bilinear = node.Op == "ResizeBilinear";
        var alignCorners = node.Bool("align_corners");
        var halfPixel = node.Bool("half_pixel_centers");
        var transform = alignCorners ? "align_corners"
            : halfPixel ? (bilinear ? "half_pixel" : "tf_half_pixel_for_nn")
            : "asymmetric";
        var nchw = ToNchw(In(node, 0));
        var batchAndChannels = Graph.Node("Slice", [Graph.Node("Shape", [nchw]), Graph.Int64s("zero", 0), Graph.Int64s("two", 2)]);
        var sizes = Graph.Node("Concat", [batchAndChannels, Int64(node, 1)], "sizes", Attr.Count("axis", 0));
        var attributes = new List<AttributeProto>
        {
            Attr.Text("mode", bilinear ? "linear" : "nearest"),
            Attr.Text("coordinate_transformation_mode", transform),
        };
        if (!bilinear)
        {
            attributes.Add(Attr.Text("nearest_mode", alignCorners ? "round_prefer_ceil" : "floor"));
        }
        return ToNhwc(Node("Resize", [nchw, "", "", sizes], node, [.. attributes]));
    }
}
