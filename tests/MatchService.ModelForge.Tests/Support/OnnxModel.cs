using MatchService.ModelForge.Config;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>One ONNX Runtime session on a model folder (config.json + model file), run on a float batch.</summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxModel(string folder)
    {
        Folder = folder;
        Config = ModelConfig.Load(Path.Combine(folder, "config.json"));
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        _session = new InferenceSession(Path.Combine(folder, Config.File), options);
    }

    public ModelConfig Config { get; }

    /// <summary>The model's folder (config.json and the model file).</summary>
    public string Folder { get; }

    /// <summary>Runs one batch; returns every output's values and shape.</summary>
    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> Run(float[] batch, params long[] shape)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(batch, shape);
        using var runOptions = new RunOptions();
        var names = _session.OutputNames;
        using var outputs = _session.Run(runOptions, [Config.Input.Name], [input], names);
        var result = new Dictionary<string, (float[], long[])>();
        for (var i = 0; i < names.Count; i++)
        {
            result[names[i]] = (outputs[i].GetTensorDataAsSpan<float>().ToArray(), outputs[i].GetTensorTypeAndShape().Shape);
        }
        return result;
    }

    /// <summary>Image batch in the config's geometry: each item is an H × W × 3 float HWC buffer already normalised.</summary>
    public IReadOnlyDictionary<string, (float[] Values, long[] Shape)> RunImages(IReadOnlyList<float[]> items)
    {
        var h = Config.Input.Height!.Value;
        var w = Config.Input.Width!.Value;
        var batch = new float[items.Count * h * w * 3];
        for (var i = 0; i < items.Count; i++)
        {
            var item = Config.Input.Layout == "NCHW" ? ToChw(items[i], h, w) : items[i];
            item.CopyTo(batch, i * h * w * 3);
        }
        return Config.Input.Layout == "NCHW" ? Run(batch, items.Count, 3, h, w) : Run(batch, items.Count, h, w, 3);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>HWC → CHW for an h × w image of 3 channels.</summary>
    internal static float[] ToChw(float[] hwc, int h, int w)
    {
        var chw = new float[hwc.Length];
        for (var p = 0; p < h * w; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * h * w) + p] = hwc[(p * 3) + c];
            }
        }
        return chw;
    }
}
