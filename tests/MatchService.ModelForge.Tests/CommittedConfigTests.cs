using MatchService.ModelForge.Config;
using MatchService.ModelForge.Tests.Support;

namespace MatchService.ModelForge.Tests;

/// <summary>The committed models/*/config.json files are what ModelForge writes, and they load under the strict schema.</summary>
public sealed class CommittedConfigTests
{
    public static TheoryData<string> Names => new(DefaultModels.All(RepoPaths.Sources).Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void CommittedConfigEqualsTheGeneratedOne(string name)
    {
        var model = DefaultModels.All(RepoPaths.Sources).Single(m => m.Name == name);
        var path = Path.Combine(RepoPaths.Root, "models", name, "config.json");
        Assert.True(File.Exists(path), $"{path} is missing: run bash scripts/forge-models.sh --write-configs and commit it");
        Assert.Equal(model.Config.ToJson(), File.ReadAllText(path));
        var loaded = ModelConfig.Load(path);
        Assert.Equal(model.Config.Role, loaded.Role);
        Assert.Equal(model.Config.Outputs, loaded.Outputs);
    }
}
