using MatchService.ModelForge.Config;
using MatchService.ModelForge.Weights;

namespace MatchService.ModelForge.FaceApi;

/// <summary>The converted face models (from @vladmandic/face-api 1.7.15's <c>model/</c> folder) and their configs.</summary>
public static class FaceApiModels
{
    /// <summary>Package and version the weights come from.</summary>
    public const string Package = "@vladmandic/face-api 1.7.15";

    /// <summary>dlib's mean RGB for the recognition and landmark nets.</summary>
    public static readonly IReadOnlyList<double> DlibMeanRgb = [122.782, 117.001, 104.298];

    /// <summary>The face recognition net: dlib's 128-d descriptor, Euclidean distance.</summary>
    public static ForgedModel FaceRecognition(string weightsDir) => new(
        "face_recognition",
        new ModelConfig
        {
            Version = "1",
            Role = "face_embedder",
            Source = "converted",
            Description =
                $"dlib face descriptor (ResNet, 150x150 aligned face -> 128-d, not unit length) converted from {Package}. " +
                "Input: face-api's crop (axis-aligned square around eyes and mouth, padded black to square, bilinear to 150x150), " +
                "normalised as in dlib: (rgb - mean) / 256 (face-api 1.7.15 itself divides by 255; the difference is negligible). " +
                "Compare with Euclidean distance. 0.6 is dlib's published threshold (LFW); on the sample photos the reference model " +
                "already puts some pairs of different people below 0.6, so the service's decision threshold must come from " +
                "calibration (matchctl calibrate) for the deployment's data, not from 0.6 alone.",
            Input = new ModelInput
            {
                Width = 150, Height = 150, Channels = 3, Layout = "NHWC", Color = "RGB",
                Mean = DlibMeanRgb, Std = [256, 256, 256], Resize = "bilinear",
            },
            Outputs = [new ModelOutput("embedding", "embedding", 128)],
            Metric = "euclidean",
            Normalize = false,
            Threshold = 0.6,
            Batching = new ModelBatching(),
            Instances = [new ModelInstance("cpu", 1)],
        },
        () => FaceRecognitionNetWriter.Build(TfjsWeightMap.Load(weightsDir, FaceRecognitionNetWriter.WeightsName)));
}
