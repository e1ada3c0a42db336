namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>Where the repository, the forged models and face-api's sample photos are.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder holding MatchService.sln).</summary>
    public static string Root => MatchService.Testing.RepositoryRoot.Path;

    /// <summary>The model repository.</summary>
    public static string Models => Path.Combine(Root, "models");

    /// <summary>face-api's demo photo <c>sample{n}.jpg</c>.</summary>
    public static string Sample(int n) => Path.Combine(Root, ".cache", "npm", "face-api-1.7.15", "package", "demo", $"sample{n}.jpg");

    /// <summary>Why the default models cannot be used, or null when they are all there.</summary>
    public static string? MissingModels()
    {
        foreach (var name in new[] { "face_detector", "face_landmarks", "face_recognition" })
        {
            var file = Path.Combine(Models, name, "model.onnx");
            if (!File.Exists(file))
            {
                return $"{file} is missing: run scripts/forge-models.sh (scripts/test.sh does)";
            }
        }

        return File.Exists(Sample(1)) ? null : $"{Sample(1)} is missing: run scripts/setup.sh";
    }

}
