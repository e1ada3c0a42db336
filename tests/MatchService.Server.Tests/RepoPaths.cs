namespace MatchService.Server.Tests;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding MatchService.sln.</summary>
    public static string Root => MatchService.Testing.RepositoryRoot.Path;

    /// <summary>The forged default models (scripts/forge-models.sh).</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>face-api's demo photos (scripts/setup.sh fetches the package).</summary>
    public static string FaceApiDemo => Path.Combine(Root, ".cache", "npm", "face-api-1.7.15", "package", "demo");
}
