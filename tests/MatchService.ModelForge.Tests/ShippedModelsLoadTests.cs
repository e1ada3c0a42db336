using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using MatchService.ModelForge.Tests.Support;

namespace MatchService.ModelForge.Tests;

/// <summary>The forged models/ folder is what the service starts with: the engine itself must accept it.</summary>
public sealed class ShippedModelsLoadTests
{
    [Fact]
    public async Task DefaultModelsLoadInTheEngineAndWarmUp()
    {
        var root = Path.Combine(RepoPaths.Root, "models");
        var missing = Directory.GetDirectories(root)
            .Concat(DefaultModels.Alternatives(RepoPaths.Sources).Select(m => Path.Combine(RepoPaths.Root, "models-alternatives", m.Name)))
            .Where(d => !File.Exists(Path.Combine(d, "model.onnx"))).ToArray();
        Assert.True(missing.Length == 0, $"not forged: {string.Join(", ", missing)}; run bash scripts/forge-models.sh");

        var repository = await ModelRepository.LoadAsync(root);
        var names = DefaultModels.Served(RepoPaths.Sources).Select(m => m.Name).Order().ToArray();
        Assert.Equal(names, repository.Models.Select(m => m.Name).Order().ToArray());

        await using var engine = await InferenceEngine.StartAsync(repository);
        Assert.False(engine.IsReady);
        await engine.WarmUpAsync();
        Assert.True(engine.IsReady);
    }
}
