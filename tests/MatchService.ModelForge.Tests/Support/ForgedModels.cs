namespace MatchService.ModelForge.Tests.Support;

/// <summary>The default models, forged once per test run into a temporary folder (the tests never depend on models/).</summary>
public sealed class ForgedModels : IDisposable
{
    public ForgedModels()
    {
        Root = Path.Combine(Path.GetTempPath(), "modelforge-tests-" + Guid.NewGuid().ToString("N"));
        foreach (var model in DefaultModels.Served(RepoPaths.Sources))
        {
            model.WriteTo(Root);
        }
        foreach (var model in DefaultModels.Alternatives(RepoPaths.Sources))
        {
            model.WriteTo(Path.Combine(Root, "alternatives"));
        }
    }

    public string Root { get; }

    private readonly Dictionary<string, OnnxModel> _sessions = [];

    /// <summary>One shared session per model (owned by the fixture).</summary>
    internal OnnxModel Model(string name)
    {
        lock (_sessions)
        {
            if (!_sessions.TryGetValue(name, out var model))
            {
                _sessions[name] = model = new OnnxModel(Path.Combine(Root, name));
            }
            return model;
        }
    }

    public void Dispose()
    {
        foreach (var model in _sessions.Values)
        {
            model.Dispose();
        }
        Directory.Delete(Root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class ForgedModelsGroup : ICollectionFixture<ForgedModels>
{
    public const string Name = "forged models";
}
