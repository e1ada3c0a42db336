using MatchService.Inference.Configuration;
using Onnx;

namespace MatchService.ModelForge;

/// <summary>A model ModelForge can write: its folder name, its config.json and how to build its graph.</summary>
public sealed record ForgedModel(string Name, ModelConfig Config, Func<ModelProto> Build)
{
    /// <summary>
    /// The batching every forged config states unless it says otherwise: up to 32 with preferred 8/16/32, and a
    /// 2000 µs queue delay, written out (the schema's default for a config without the key is 1000 µs).
    /// </summary>
    public static BatchingSpec Batching { get; } = new() { MaxBatchSize = 32, PreferredBatchSizes = [8, 16, 32], MaxQueueDelayUs = 2000 };

    /// <summary>
    /// Writes <c>{root}/{Name}/model.onnx</c>, and <c>config.json</c> when it is missing or <paramref name="overwriteConfig"/>
    /// (an operator's edits to a deployed config — devices, batching — survive a re-forge).
    /// </summary>
    public void WriteTo(string root, bool overwriteConfig = true)
    {
        var dir = Path.Combine(root, Name);
        Directory.CreateDirectory(dir);
        Graph.OnnxGraphBuilder.Save(Build(), Path.Combine(dir, Config.File));
        var configPath = Path.Combine(dir, "config.json");
        if (overwriteConfig || !File.Exists(configPath))
        {
            File.WriteAllText(configPath, ModelConfigFile.ToJson(Config));
        }
    }
}
