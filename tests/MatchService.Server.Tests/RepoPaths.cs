namespace MatchService.Server.Tests;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding MatchService.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The forged default models (scripts/forge-models.sh).</summary>
    public static string Models => Path.Combine(Root, "models");

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
