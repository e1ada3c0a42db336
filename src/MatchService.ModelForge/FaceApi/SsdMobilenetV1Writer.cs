using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;

namespace MatchService.ModelForge.FaceApi;

/// <summary>
/// face-api's SSD MobileNet v1 face detector as ONNX, anchor decoding included: input "input" [B,512,512,3] RGB
/// normalised to [-1, 1] ((rgb − 127.5) / 127.5), outputs "boxes" [B,5118,4] as (ymin, xmin, ymax, xmax) relative to
/// the (bottom/right-padded) square input and "scores" [B,5118] (sigmoid face score per anchor). NMS and the mapping to
/// image pixels happen next to the graph (MatchService.Inference.Decoding.SsdBoxDecoder). BatchNorm is folded.
/// </summary>
public static class SsdMobilenetV1Writer
{
    /// <summary>Name of the weights in face-api's model folder.</summary>
    public const string WeightsName = "ssd_mobilenetv1_model";

    /// <summary>Input side.</summary>
    public const int InputSize = 512;

    /// <summary>Number of anchors.</summary>
    public const int Anchors = 5118;

    private const float BatchNormEpsilon = 0.0010000000474974513f;

    /// <summary>Builds the graph from the weight map.</summary>
    public static ModelProto Build(TfjsWeightMap w)
    {
        var layers = new TfLayerWriter(new OnnxGraphBuilder("face_detector"));
        var g = layers.Graph;
        var x = layers.NhwcInput("input", InputSize, InputSize, 3);

        x = Pointwise(layers, w, x, "MobilenetV1/Conv2d_0_pointwise", 2);
        FeatureMap conv11 = default;
        for (var i = 1; i <= 13; i++)
        {
            var stride = i is 2 or 4 or 6 or 12 ? 2 : 1;
            var p = $"MobilenetV1/Conv2d_{i}_depthwise";
            var gamma = w[$"{p}/BatchNorm/gamma"].Values;
            var beta = w[$"{p}/BatchNorm/beta"].Values;
            var mean = w[$"{p}/BatchNorm/moving_mean"].Values;
            var variance = w[$"{p}/BatchNorm/moving_variance"].Values;
            var scale = new float[gamma.Length];
            var shift = new float[gamma.Length];
            for (var c = 0; c < gamma.Length; c++)
            {
                scale[c] = gamma[c] / MathF.Sqrt(variance[c] + BatchNormEpsilon);
                shift[c] = beta[c] - (mean[c] * scale[c]);
            }
            x = layers.Relu6(layers.DepthwiseConv(x, w[$"{p}/depthwise_weights"], stride, TfPadding.Same, $"dw{i}", scale: scale, shift: shift));
            x = Pointwise(layers, w, x, $"MobilenetV1/Conv2d_{i}_pointwise", 1);
            if (i == 11)
            {
                conv11 = x;
            }
        }

        var extra = new FeatureMap[8];
        var prev = x;
        for (var i = 0; i < 8; i++)
        {
            prev = extra[i] = Pointwise(layers, w, prev, $"Prediction/Conv2d_{i}_pointwise", i % 2 == 1 ? 2 : 1);
        }
        FeatureMap[] heads = [conv11, x, extra[1], extra[3], extra[5], extra[7]];
        var encodings = new List<string>();
        var classes = new List<string>();
        var total = 0;
        for (var i = 0; i < heads.Length; i++)
        {
            var p = $"Prediction/BoxPredictor_{i}";
            encodings.Add(Head(layers, w, heads[i], $"{p}/BoxEncodingPredictor", 4, $"box{i}", out var n));
            classes.Add(Head(layers, w, heads[i], $"{p}/ClassPredictor", 3, $"cls{i}", out _));
            total += n;
        }
        if (total != Anchors)
        {
            throw new InvalidDataException($"SSD heads give {total} anchors, expected {Anchors}");
        }
        var encoding = g.Node("Concat", [.. encodings], "box_encoding", Attr.Count("axis", 1));
        var logits = g.Node("Concat", [.. classes], "class_logits", Attr.Count("axis", 1));

        // Score: sigmoid of the face class (index 1; 0 is background).
        var faceLogit = g.Node("Gather", [logits, g.Int64Scalar("face_class", 1)], "face_logit", Attr.Count("axis", 2));
        g.Output(g.Node("Sigmoid", [faceLogit], "face_score"), "scores", Anchors);

        // Anchor decoding (TensorFlow Object Detection's box coder, scales 10, 10, 5, 5).
        var anchors = w["Output/extra_dim"].Values;
        var sizes = new float[Anchors * 2];
        var centres = new float[Anchors * 2];
        for (var a = 0; a < Anchors; a++)
        {
            for (var k = 0; k < 2; k++)
            {
                sizes[(a * 2) + k] = anchors[(a * 4) + k + 2] - anchors[(a * 4) + k];
                centres[(a * 2) + k] = anchors[(a * 4) + k] + (sizes[(a * 2) + k] / 2);
            }
        }
        var size = g.Constant("anchor_size", sizes, 1, Anchors, 2);
        var centre = g.Constant("anchor_centre", centres, 1, Anchors, 2);
        var axis2 = g.Int64s("axis2", 2);
        var offset = g.Node("Slice", [encoding, g.Int64s("s0", 0), g.Int64s("e2", 2), axis2], "offset");
        var logSize = g.Node("Slice", [encoding, g.Int64s("s2", 2), g.Int64s("e4", 4), axis2], "log_size");
        var boxCentre = g.Node("Add", [g.Node("Mul", [g.Node("Div", [offset, g.Scalar("ten", 10f)]), size]), centre], "box_centre");
        var half = g.Node("Div", [g.Node("Mul", [g.Node("Exp", [g.Node("Div", [logSize, g.Scalar("five", 5f)])]), size]), g.Scalar("two", 2f)], "half_size");
        var boxes = g.Node("Concat", [g.Node("Sub", [boxCentre, half], "box_min"), g.Node("Add", [boxCentre, half], "box_max")], "decoded_boxes", Attr.Count("axis", 2));
        g.Output(boxes, "boxes", Anchors, 4);
        return g.Build("MatchService.ModelForge", "SSD MobileNet v1 face detector converted from @vladmandic/face-api 1.7.15");
    }

    private static FeatureMap Pointwise(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix, int stride) =>
        layers.Relu6(layers.Conv(x, w[$"{prefix}/weights"], stride, TfPadding.Same, prefix.Replace('/', '_'),
            bias: w[$"{prefix}/convolution_bn_offset"].Values));

    /// <summary>A 1x1 prediction conv, laid out as TensorFlow does: [B, H·W·anchors, values].</summary>
    private static string Head(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix, int values, string hint, out int anchors)
    {
        var conv = layers.Conv(x, w[$"{prefix}/weights"], 1, TfPadding.Same, hint, bias: w[$"{prefix}/biases"].Values);
        anchors = conv.Height * conv.Width * conv.Channels / values;
        var g = layers.Graph;
        var nhwc = g.Node("Transpose", [conv.Name], hint + "_nhwc", Attr.Ints("perm", 0, 2, 3, 1));
        return g.Node("Reshape", [nhwc, g.Int64s(hint + "_shape", 0, -1, values)], hint + "_flat");
    }
}
