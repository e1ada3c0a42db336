using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;

namespace MatchService.ModelForge.FaceApi;

/// <summary>
/// face-api's tiny face detector (a Tiny-YOLOv2 with depthwise-separable convolutions, 5 anchors, one class) as ONNX
/// with the YOLO box decoding inside the graph, so that it has the SSD's output contract: input "input" [B,S,S,3] RGB
/// ((rgb − [117.001, 114.697, 97.404]) / 255, the image padded black bottom/right to a square), outputs "boxes" [B,N,4]
/// as (ymin, xmin, ymax, xmax) relative to the padded square and "scores" [B,N] (sigmoid objectness), N = g·g·5 with
/// g = the output grid. NMS and the mapping to image pixels are MatchService.Vision.SsdBoxDecoder's.
/// face-api's tiny boxes frame a face differently from the SSD's (on the sample photos 1.66 times as wide, as tall,
/// centred 0.15 of the height lower: jaw and neck rather than brow to chin), and the landmark net was fitted to SSD
/// framing, so the graph re-frames them: <see cref="Framing"/> (fitted on samples 1–3, checked on 4–6 by the survey).
/// </summary>
public static class TinyFaceDetectorWriter
{
    /// <summary>Name of the weights in face-api's model folder.</summary>
    public const string WeightsName = "tiny_face_detector_model";

    /// <summary>face-api's mean RGB of this net.</summary>
    public static readonly IReadOnlyList<float> MeanRgb = [117.001f, 114.697f, 97.404f];

    /// <summary>face-api's box anchors (width, height) in grid cells.</summary>
    private static readonly (float W, float H)[] BoxAnchors =
        [(1.603231f, 2.094468f), (6.041143f, 7.080126f), (2.882459f, 3.518061f), (4.266906f, 5.178857f), (9.041765f, 10.66308f)];

    /// <summary>Box re-framing to the SSD's: width and height factors and the centre's move up, in box heights.</summary>
    public static readonly (float Width, float Height, float CentreUp) Framing = (0.60f, 0.97f, 0.15f);

    /// <summary>Output grid side at <paramref name="inputSize"/> (a 3×3 'valid' conv, then five 2×2 stride-2 'same' pools).</summary>
    public static int GridSize(int inputSize)
    {
        var side = inputSize - 2;
        for (var i = 0; i < 5; i++)
        {
            side = (side + 1) / 2;
        }
        return side;
    }

    /// <summary>Anchor boxes at <paramref name="inputSize"/>.</summary>
    public static int AnchorCount(int inputSize) => GridSize(inputSize) * GridSize(inputSize) * BoxAnchors.Length;

    /// <summary>Builds the graph for a square input of side <paramref name="inputSize"/> (face-api allows multiples of 32).</summary>
    public static ModelProto Build(TfjsWeightMap w, int inputSize)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (inputSize < 64 || inputSize % 32 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "the tiny face detector's input side must be a multiple of 32, at least 64");
        }
        var layers = new TfLayerWriter(new OnnxGraphBuilder("face_detector_tiny"));
        var g = layers.Graph;
        var x = layers.NhwcInput("input", inputSize, inputSize, 3);

        x = Leaky(layers, layers.Conv(x, w["conv0/filters"], 1, TfPadding.Valid, "conv0", bias: w["conv0/bias"].Values));
        x = MaxPoolSame(layers, x, 2);
        for (var i = 1; i <= 5; i++)
        {
            // separableConv2d after a 1-pixel zero pad, then bias and leaky ReLU (face-api's depthwiseSeparableConv).
            var depthwise = layers.DepthwiseConv(x, w[$"conv{i}/depthwise_filter"], 1, TfPadding.Same, $"conv{i}_dw");
            x = Leaky(layers, layers.Conv(depthwise, w[$"conv{i}/pointwise_filter"], 1, TfPadding.Valid, $"conv{i}_pw", bias: w[$"conv{i}/bias"].Values));
            x = MaxPoolSame(layers, x, i < 5 ? 2 : 1);
        }
        var head = layers.Conv(x, w["conv8/filters"], 1, TfPadding.Valid, "conv8", bias: w["conv8/bias"].Values);
        var grid = head.Height;
        if (grid != GridSize(inputSize) || head.Channels != BoxAnchors.Length * 5)
        {
            throw new InvalidDataException($"tiny face detector head is {head}, expected {GridSize(inputSize)}x{GridSize(inputSize)}x{BoxAnchors.Length * 5}");
        }

        // [B, 25, g, g] → [B, g·g·5, 5] in (row, col, anchor) order: (tx, ty, tw, th, objectness).
        var count = AnchorCount(inputSize);
        var nhwc = g.Node("Transpose", [head.Name], "head_nhwc", Attr.Ints("perm", 0, 2, 3, 1));
        var encoding = g.Node("Reshape", [nhwc, g.Int64s("head_shape", 0, count, 5)], "encoding");
        var yx = g.Int64s("yx", 1, 0);
        var hw = g.Int64s("hw", 3, 2);
        var offset = g.Node("Gather", [encoding, yx], "offset_yx", Attr.Count("axis", 2));
        var logSize = g.Node("Gather", [encoding, hw], "log_size_hw", Attr.Count("axis", 2));
        var objectness = g.Node("Gather", [encoding, g.Int64Scalar("objectness_index", 4)], "objectness", Attr.Count("axis", 2));
        g.Output(g.Node("Sigmoid", [objectness], "score"), "scores", count);

        // Centre = (cell + sigmoid(t)) / g; size = exp(t) · anchor / g, all in (y, x) order.
        var cells = new float[count * 2];
        var anchors = new float[count * 2];
        for (int row = 0, a = 0; row < grid; row++)
        {
            for (var col = 0; col < grid; col++)
            {
                foreach (var (aw, ah) in BoxAnchors)
                {
                    cells[a * 2] = row;
                    cells[(a * 2) + 1] = col;
                    anchors[a * 2] = ah / grid;
                    anchors[(a * 2) + 1] = aw / grid;
                    a++;
                }
            }
        }
        var gridSide = g.Scalar("grid", grid);
        var centre = g.Node("Div", [g.Node("Add", [g.Node("Sigmoid", [offset]), g.Constant("cells", cells, 1, count, 2)]), gridSide], "centre");
        var rawHalf = g.Node("Div", [g.Node("Mul", [g.Node("Exp", [logSize]), g.Constant("anchor_size", anchors, 1, count, 2)]), g.Scalar("two", 2f)], "raw_half_size");

        // Re-framing: the centre moves up by CentreUp of the (raw) height = 2·CentreUp half-heights; sizes scale.
        centre = g.Node("Add", [centre, g.Node("Mul", [rawHalf, g.Constant("centre_move", [-2 * Framing.CentreUp, 0f], 1, 1, 2)])], "framed_centre");
        var half = g.Node("Mul", [rawHalf, g.Constant("framing", [Framing.Height, Framing.Width], 1, 1, 2)], "half_size");
        var boxes = g.Node("Concat", [g.Node("Sub", [centre, half], "box_min"), g.Node("Add", [centre, half], "box_max")], "decoded_boxes", Attr.Count("axis", 2));
        g.Output(boxes, "boxes", count, 4);
        return g.Build("MatchService.ModelForge", $"face-api tiny face detector converted from @vladmandic/face-api 1.7.15, input {inputSize}");
    }

    // face-api's leaky ReLU: max(x, 0.1·x).
    private static FeatureMap Leaky(TfLayerWriter layers, FeatureMap x) =>
        x with { Name = layers.Graph.Node("LeakyRelu", [x.Name], "leaky", Attr.Real("alpha", 0.1f)) };

    // TensorFlow 2×2 'same' max pooling: the odd pixel of padding goes at the end and never wins the max.
    private static FeatureMap MaxPoolSame(TfLayerWriter layers, FeatureMap x, int stride)
    {
        var (oh, top, bottom) = TfLayerWriter.Padding(x.Height, 2, stride, TfPadding.Same);
        var (ow, left, right) = TfLayerWriter.Padding(x.Width, 2, stride, TfPadding.Same);
        var name = layers.Graph.Node("MaxPool", [x.Name], "maxpool",
            Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", stride, stride), Attr.Ints("pads", top, left, bottom, right));
        return new FeatureMap(name, x.Channels, oh, ow);
    }
}
