using MatchService.Inference.Configuration;
using MatchService.ModelForge.Tests.Support;

namespace MatchService.ModelForge.Tests;

/// <summary>The committed models/*/config.json files are what ModelForge writes, and they load under the strict schema.</summary>
public sealed class CommittedConfigTests
{
    /// <summary>(folder, name): the served models in models/, the alternatives in models-alternatives/.</summary>
    public static TheoryData<string, string> Names
    {
        get
        {
            var names = new TheoryData<string, string>();
            foreach (var m in DefaultModels.Served(RepoPaths.Sources))
            {
                names.Add("models", m.Name);
            }
            foreach (var m in DefaultModels.Alternatives(RepoPaths.Sources))
            {
                names.Add("models-alternatives", m.Name);
            }
            return names;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void CommittedConfigEqualsTheGeneratedOne(string folder, string name)
    {
        var model = (folder == "models" ? DefaultModels.Served(RepoPaths.Sources) : DefaultModels.Alternatives(RepoPaths.Sources)).Single(m => m.Name == name);
        var path = Path.Combine(RepoPaths.Root, folder, name, "config.json");
        Assert.True(File.Exists(path), $"{path} is missing: run bash scripts/forge-models.sh --write-configs and commit it");
        Assert.Equal(ModelConfigFile.ToJson(model.Config), File.ReadAllText(path));
        var loaded = ModelConfigFile.Parse(File.ReadAllText(path), path);
        Assert.Equal(model.Config.Role, loaded.Role);
        Assert.Equal(model.Config.Outputs, loaded.Outputs);
    }
}
