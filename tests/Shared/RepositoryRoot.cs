namespace MatchService.Testing;

/// <summary>
/// The repository the tests and benchmarks run from: the folder holding MatchService.sln above the binaries.
/// Linked into every project under tests/ by Directory.Build.props.
/// </summary>
internal static class RepositoryRoot
{
    /// <summary>The repository root.</summary>
    public static string Path { get; } = Find();

    /// <summary>
    /// An assembly as built in its own project (src/<paramref name="project"/>/bin/<c>Configuration</c>/<c>TFM</c>/), in
    /// the configuration and framework of the running tests: executables such as matchctl and the server must run from
    /// there, because a test's output carries the dependencies of its own framework, not theirs.
    /// </summary>
    public static string BuiltAssembly(string project, string assembly)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        return System.IO.Path.Combine(Path, "src", project, "bin", output.Parent!.Name, output.Name, assembly);
    }

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
