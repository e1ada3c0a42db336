namespace MatchService.Testing;

/// <summary>
/// The repository the tests and benchmarks run from: the folder holding MatchService.sln above the binaries.
/// Linked into every project under tests/ by Directory.Build.props.
/// </summary>
internal static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MatchService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"MatchService.sln not found above {AppContext.BaseDirectory}: run from inside the repository");
    }
}
