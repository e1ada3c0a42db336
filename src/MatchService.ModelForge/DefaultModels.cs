using MatchService.ModelForge.Descriptors;
using MatchService.ModelForge.FaceApi;

namespace MatchService.ModelForge;

/// <summary>Every model ModelForge writes into <c>models/</c> by default.</summary>
public static class DefaultModels
{
    /// <summary>The default models, built from face-api's weights folder and from code.</summary>
    public static IReadOnlyList<ForgedModel> All(string faceApiWeightsDir) =>
    [
        FaceApiModels.FaceDetector(faceApiWeightsDir),
        FaceApiModels.FaceLandmarks(faceApiWeightsDir),
        FaceApiModels.FaceRecognition(faceApiWeightsDir),
        DescriptorModels.PersonGlobal(),
        DescriptorModels.HeadShoulder(),
        DescriptorModels.Product(),
    ];

    /// <summary>Folder under the model repository that holds the alternatives (no config.json of its own, so the
    /// engine skips it); a model is selected by putting its folder in place of the default one.</summary>
    public const string AlternatesFolder = "alternates";

    /// <summary>face-api's SSD MobileNet v1 at 512, the default detector before the tiny one (folder under <see cref="AlternatesFolder"/>).</summary>
    public const string SsdDetectorName = "face_detector_ssd512";

    /// <summary>
    /// The face models measured against the defaults and kept selectable (README, "Face detection"): the SSD that was
    /// the default detector (<see cref="SsdDetectorName"/>), the SSD on coarser grids and the tiny detector at other sizes.
    /// </summary>
    public static IReadOnlyList<ForgedModel> Alternates(string faceApiWeightsDir) =>
    [
        FaceApiModels.FaceDetector(faceApiWeightsDir, 512, SsdDetectorName),
        FaceApiModels.FaceDetector(faceApiWeightsDir, 320, "face_detector_ssd320"),
        FaceApiModels.FaceDetector(faceApiWeightsDir, 256, "face_detector_ssd256"),
        FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 608, "face_detector_tiny608"),
        FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 512, "face_detector_tiny512"),
        FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 416, "face_detector_tiny416"),
        FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 320, "face_detector_tiny320"),
        FaceApiModels.TinyFaceDetector(faceApiWeightsDir, 224, "face_detector_tiny224"),
    ];
}
