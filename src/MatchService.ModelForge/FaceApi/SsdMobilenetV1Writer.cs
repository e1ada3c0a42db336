using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;

namespace MatchService.ModelForge.FaceApi;

/// <summary>
/// face-api's SSD MobileNet v1 face detector as ONNX, anchor decoding included: input "input" [B,S,S,3] RGB
/// normalised to [-1, 1] ((rgb − 127.5) / 127.5), outputs "boxes" [B,N,4] as (ymin, xmin, ymax, xmax) relative to
/// the (bottom/right-padded) square input and "scores" [B,N] (sigmoid face score per anchor). NMS and the mapping to
/// image pixels happen next to the graph (MatchService.Vision.SsdBoxDecoder). BatchNorm is folded.
/// S = 512 is face-api's size (N = 5118, its anchor table); a smaller S (a multiple of 32) is the same net on a
/// coarser grid: the anchors keep their sizes relative to the image and sit at the centres of the smaller grid cells,
/// as TensorFlow's multiple-grid anchor generator places them.
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

    /// <summary>Anchors of the grid cells at <paramref name="inputSize"/>.</summary>
    public static int AnchorCount(int inputSize) => Grids(inputSize).Select((grid, i) => grid * grid * (i == 0 ? 3 : 6)).Sum();

    /// <summary>Builds the graph from the weight map.</summary>
    public static ModelProto Build(TfjsWeightMap w, int inputSize = InputSize)
    {
        if (inputSize < 64 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "the SSD input side must be a multiple of 32, at least 64");
        }
        var anchorCount = AnchorCount(inputSize);
        var layers = new TfLayerWriter(new OnnxGraphBuilder("face_detector"));
        var g = layers.Graph;
        var x = layers.NhwcInput("input", inputSize, inputSize, 3);

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
        if (total != anchorCount)
        {
            throw new InvalidDataException($"SSD heads give {total} anchors, expected {anchorCount}");
        }
        var encoding = g.Node("Concat", [.. encodings], "box_encoding", Attr.Count("axis", 1));
        var logits = g.Node("Concat", [.. classes], "class_logits", Attr.Count("axis", 1));

        // Score: sigmoid of the face class (index 1; 0 is background).
        var faceLogit = g.Node("Gather", [logits, g.Int64Scalar("face_class", 1)], "face_logit", Attr.Count("axis", 2));
        g.Output(g.Node("Sigmoid", [faceLogit], "face_score"), "scores", anchorCount);

        // Anchor decoding (TensorFlow Object Detection's box coder, scales 10, 10, 5, 5).
        var anchors = AnchorTable(w["Output/extra_dim"].Values, inputSize);
        var sizes = new float[anchorCount * 2];
        var centres = new float[anchorCount * 2];
        for (var a = 0; a < anchorCount; a++)
        {
            for (var k = 0; k < 2; k++)
            {
                sizes[(a * 2) + k] = anchors[(a * 4) + k + 2] - anchors[(a * 4) + k];
                centres[(a * 2) + k] = anchors[(a * 4) + k] + (sizes[(a * 2) + k] / 2);
            }
        }
        var size = g.Constant("anchor_size", sizes, 1, anchorCount, 2);
        var centre = g.Constant("anchor_centre", centres, 1, anchorCount, 2);
        var axis2 = g.Int64s("axis2", 2);
        var offset = g.Node("Slice", [encoding, g.Int64s("s0", 0), g.Int64s("e2", 2), axis2], "offset");
        var logSize = g.Node("Slice", [encoding, g.Int64s("s2", 2), g.Int64s("e4", 4), axis2], "log_size");
        var boxCentre = g.Node("Add", [g.Node("Mul", [g.Node("Div", [offset, g.Scalar("ten", 10f)]), size]), centre], "box_centre");
        var half = g.Node("Div", [g.Node("Mul", [g.Node("Exp", [g.Node("Div", [logSize, g.Scalar("five", 5f)])]), size]), g.Scalar("two", 2f)], "half_size");
        var boxes = g.Node("Concat", [g.Node("Sub", [boxCentre, half], "box_min"), g.Node("Add", [boxCentre, half], "box_max")], "decoded_boxes", Attr.Count("axis", 2));
        g.Output(boxes, "boxes", anchorCount, 4);
        return g.Build("MatchService.ModelForge", $"SSD MobileNet v1 face detector converted from @vladmandic/face-api 1.7.15, input {inputSize}");
    }

    /// <summary>
    /// Anchors (ymin, xmin, ymax, xmax) for <paramref name="inputSize"/>: face-api's table at 512; elsewhere each
    /// prediction layer's anchor sizes, read from the first cell of that layer in the table, centred on the cells of the
    /// layer's grid at that input.
    /// </summary>
    public static float[] AnchorTable(float[] table512, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(table512);
        if (table512.Length != Anchors * 4)
        {
            throw new InvalidDataException($"Output/extra_dim has {table512.Length / 4} anchors, expected {Anchors}");
        }
        return inputSize == InputSize ? table512 : GridAnchors(table512, inputSize);
    }

    /// <summary>
    /// Anchors placed on the grids of <paramref name="inputSize"/> with each layer's sizes read from the middle cell of
    /// that layer in face-api's table (at 512 this reproduces the table, which the tests check).
    /// </summary>
    public static float[] GridAnchors(float[] table512, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(table512);
        var result = new List<float>(AnchorCount(inputSize) * 4);
        var first = 0;
        var grids512 = Grids(InputSize);
        var grids = Grids(inputSize);
        for (var layer = 0; layer < grids.Length; layer++)
        {
            var perCell = layer == 0 ? 3 : 6;
            for (var row = 0; row < grids[layer]; row++)
            {
                for (var col = 0; col < grids[layer]; col++)
                {
                    for (var k = 0; k < perCell; k++)
                    {
                        var middle = grids512[layer] / 2;
                        var a = (first + (((middle * grids512[layer]) + middle) * perCell) + k) * 4;
                        var h = table512[a + 2] - table512[a];
                        var wd = table512[a + 3] - table512[a + 1];
                        var cy = (row + 0.5f) / grids[layer];
                        var cx = (col + 0.5f) / grids[layer];
                        result.AddRange([cy - (h / 2), cx - (wd / 2), cy + (h / 2), cx + (wd / 2)]);
                    }
                }
            }
            first += grids512[layer] * grids512[layer] * perCell;
        }
        return [.. result];
    }

    /// <summary>The six prediction grids: stride 16 (conv 11), 32 (conv 13), then halving (TensorFlow 'same' rounds up).</summary>
    private static int[] Grids(int inputSize)
    {
        var grids = new int[6];
        grids[0] = (inputSize + 15) / 16;
        grids[1] = (inputSize + 31) / 32;
        for (var i = 2; i < 6; i++)
        {
            grids[i] = (grids[i - 1] + 1) / 2;
        }
        return grids;
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
