namespace MatchService.ModelForge.Tests.Support;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string FaceApiPackage => Path.Combine(Root, ".cache/npm/face-api-1.7.15/package");

    public static string FaceApiWeights => Path.Combine(FaceApiPackage, "model");

    public static string Sample(int n) => Path.Combine(FaceApiPackage, "demo", $"sample{n}.jpg");

    public static string Golden(string file) => Path.Combine(Root, "tests/MatchService.ModelForge.Tests/golden", file);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MatchService.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"MatchService.sln not found above {AppContext.BaseDirectory}");
    }
}
