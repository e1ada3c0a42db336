using MatchService.Inference.Telemetry;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;

namespace MatchService.Inference.Tests.Support;

/// <summary>A model repository in a temporary folder: models/&lt;name&gt;/{config.json, model.onnx}.</summary>
internal sealed class TestRepository : IDisposable
{
    public TestRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "match-inference-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string ConfigPath(string name) => Path.Combine(Root, name, "config.json");

    public TestRepository Add(string name, string configJson, byte[]? onnx = null)
    {
        var dir = Path.Combine(Root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), configJson);
        if (onnx is not null)
        {
            File.WriteAllBytes(Path.Combine(dir, "model.onnx"), onnx);
        }

        return this;
    }

    /// <summary>A vector-input config ([N,D] input "x").</summary>
    public static string VectorConfig(int dim, string batching, string outputs = """[{ "name": "y", "meaning": "embedding" }]""",
        string role = "weight_adaptive", string instances = """[{ "device": "cpu", "count": 1 }]""", string extra = "") => $$"""
        {
          "version": "1",
          "role": "{{role}}",
          "source": "test",
          "file": "model.onnx",
          "input": { "name": "x", "dim": {{dim}} },
          "outputs": {{outputs}},
          "batching": {{batching}},
          "instances": {{instances}}{{extra}}
        }
        """;

    /// <summary>The config of a <see cref="TestModels.ConvEmbedder"/>: an h×w×c NHWC image in, a k-d "embedding" out.</summary>
    public static string ImageConfig(int h, int w, int c, int k, string batching, string instances = """[{ "device": "cpu", "count": 1 }]""") => $$"""
        {
          "version": "1", "role": "face_embedder", "source": "test", "file": "model.onnx",
          "input": { "name": "image", "width": {{w}}, "height": {{h}}, "channels": {{c}}, "layout": "NHWC" },
          "outputs": [{ "name": "embedding", "meaning": "embedding", "dim": {{k}} }],
          "batching": {{batching}},
          "instances": {{instances}}
        }
        """;

    public async Task<InferenceEngine> StartAsync(InferenceEngineOptions? options = null) => await StartAsync(null, options);

    public async Task<InferenceEngine> StartAsync(InferenceInstruments? instruments, InferenceEngineOptions? options = null)
    {
        var repo = await ModelRepository.LoadAsync(Root);
        return await InferenceEngine.StartAsync(repo, options ?? new InferenceEngineOptions
        {
            Session = new() { IntraOpThreads = 1 },
        }, instruments: instruments);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }
}
