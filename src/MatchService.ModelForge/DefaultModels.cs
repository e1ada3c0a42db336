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
}
