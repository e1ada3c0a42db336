namespace MatchService.ModelForge.Tests.Support;

/// <summary>The default models, forged once per test run into a temporary folder (the tests never depend on models/).</summary>
public sealed class ForgedModels : IDisposable
{
    public ForgedModels()
    {
        Root = Path.Combine(Path.GetTempPath(), "modelforge-tests-" + Guid.NewGuid().ToString("N"));
        foreach (var model in DefaultModels.All(RepoPaths.FaceApiWeights))
        {
            model.WriteTo(Root);
        }
    }

    public string Root { get; }

    internal OnnxModel Open(string name) => new(Path.Combine(Root, name));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class ForgedModelsGroup : ICollectionFixture<ForgedModels>
{
    public const string Name = "forged models";
}
