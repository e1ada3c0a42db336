using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.ModelForge.TestModels;

namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>Where the models of the person and product tests come from.</summary>
internal static class ModelDirectories
{
    /// <summary>The default models these RPCs need (forged by scripts/forge-models.sh into models/).</summary>
    public static readonly string[] DefaultNames = ["person_global", "person_head_shoulder", "product_embedder"];

    /// <summary>The converted detector-like defaults (MoveNet, CenterNet), served by the trained-model fixture.</summary>
    public static readonly string[] TrainedNames = ["person_detector", "head_shoulder_locator", "intent_classifier"];

    /// <summary>The repository root (the folder holding MatchService.sln).</summary>
    public static string RepoRoot => RepoPaths.Root;

    /// <summary>Why the default models cannot be used, or null when they are all there.</summary>
    public static string? MissingDefaults
    {
        get
        {
            var missing = DefaultNames.Where(n => !File.Exists(Path.Combine(RepoRoot, "models", n, "model.onnx"))).ToArray();
            return missing.Length > 0 ? $"default models missing ({string.Join(", ", missing)}): run bash scripts/forge-models.sh"
                : File.Exists(RepoPaths.Sample(1)) ? null : $"{RepoPaths.Sample(1)} is missing: run bash scripts/setup.sh";
        }
    }

    /// <summary>
    /// A fresh model repository: links to the default person/product models (with the test models: the descriptor
    /// person_global of models-alternatives/) plus, when asked, the small generated test
    /// models of the model-driven paths (weight_adaptive, head_shoulder_locator, intent_classifier, garment_detector, person_detector),
    /// written by ModelForge's <see cref="TestModelSet"/>.
    /// </summary>
    public static string CreateRepository(bool withTestModels, bool withTrainedModels = false)
    {
        var root = Path.Combine(Path.GetTempPath(), $"match-persons-models-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        foreach (var name in DefaultNames)
        {
            // The small generated test models are built around the 256-d descriptor f_g (the weight-adaptive model
            // reads it): the model-driven tests serve the descriptor alternative as person_global.
            var folder = withTestModels && name == "person_global" ? "models-alternatives" : "models";
            Directory.CreateSymbolicLink(Path.Combine(root, name), Path.Combine(RepoRoot, folder, name));
        }

        if (withTrainedModels)
        {
            foreach (var name in TrainedNames)
            {
                Directory.CreateSymbolicLink(Path.Combine(root, name), Path.Combine(RepoRoot, "models", name));
            }
        }

        if (withTestModels)
        {
            TestModelSet.WeightAdaptive().WriteTo(root);
            TestModelSet.HeadShoulderLocator().WriteTo(root);
            TestModelSet.IntentClassifier().WriteTo(root);
            TestModelSet.GarmentDetector().WriteTo(root);
            TestModelSet.PersonDetector().WriteTo(root);
        }

        return root;
    }
}
