using MatchService.ModelForge.Config;
using Onnx;

namespace MatchService.ModelForge;

/// <summary>A model ModelForge can write: its folder name, its config.json and how to build its graph.</summary>
public sealed record ForgedModel(string Name, ModelConfig Config, Func<ModelProto> Build)
{
    /// <summary>Writes <c>{root}/{Name}/model.onnx</c> and <c>config.json</c>.</summary>
    public void WriteTo(string root)
    {
        var dir = Path.Combine(root, Name);
        Directory.CreateDirectory(dir);
        Graph.OnnxGraphBuilder.Save(Build(), Path.Combine(dir, Config.File));
        File.WriteAllText(Path.Combine(dir, "config.json"), Config.ToJson());
    }
}
