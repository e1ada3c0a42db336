using Google.Protobuf;
using MatchService.ModelForge.Graph;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>What the QDQ tests need from ONNX Runtime: a float net's activation ranges, and the kernels a model becomes.</summary>
internal static class ActivationCalibration
{
    /// <summary>
    /// The range of every activation <see cref="QdqQuantizer.Quantize"/> needs, over <paramref name="items"/> run one at a
    /// time through <paramref name="net"/>'s input <paramref name="input"/> as [1, ..<paramref name="itemShape"/>].
    /// </summary>
    public static Dictionary<string, ActivationRange> Measure(ModelProto net, string input, long[] itemShape, IEnumerable<float[]> items)
    {
        var activations = QdqQuantizer.ActivationsToCalibrate(net);
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(QdqQuantizer.WithExtraOutputs(net, activations).ToByteArray(), options);
        var ranges = new Dictionary<string, ActivationRange>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            using var value = OrtValue.CreateTensorValueFromMemory(item, [1, .. itemShape]);
            using var outputs = session.Run(new RunOptions(), [input], [value], activations);
            for (var i = 0; i < activations.Count; i++)
            {
                var range = RangeOf(outputs[i].GetTensorDataAsSpan<float>());
                ranges[activations[i]] = ranges.TryGetValue(activations[i], out var seen) ? seen.Union(range) : range;
            }
        }
        return ranges;
    }

    /// <summary>The operator types of <paramref name="model"/> once ONNX Runtime has optimized it fully for the CPU.</summary>
    public static List<string> OptimizedOpTypes(byte[] model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"optimized-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, OptimizedModelFilePath = path })
            using (new InferenceSession(model, options))
            {
            }
            return [.. ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).Graph.Node.Select(n => n.OpType)];
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static ActivationRange RangeOf(ReadOnlySpan<float> values)
    {
        var (min, max) = (float.MaxValue, float.MinValue);
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return new ActivationRange(min, max);
    }
}
