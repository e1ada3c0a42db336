using MatchService.Inference.Configuration;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MatchService.Inference.Runtime;

/// <summary>Checks an ONNX file's real inputs and outputs against its config.json, with errors naming the field.</summary>
internal static class ModelSignature
{
    public static void Check(ModelConfig config, InferenceSession session)
    {
        var file = Path.GetFileName(config.ModelPath);
        var inputs = session.InputMetadata;
        if (!inputs.TryGetValue(config.Input.Name, out var input))
        {
            throw Fail(config, "input.name", $"\"{config.Input.Name}\" is not an input of {file} (its inputs: {string.Join(", ", inputs.Keys)})");
        }

        if (inputs.Count != 1)
        {
            throw Fail(config, "input", $"{file} has {inputs.Count} inputs ({string.Join(", ", inputs.Keys)}); the engine feeds exactly one");
        }

        var wantType = config.Input.DType == Imaging.Tensors.TensorElementType.UInt8 ? TensorElementType.UInt8 : TensorElementType.Float;
        if (!input.IsTensor || input.ElementDataType != wantType)
        {
            throw Fail(config, "input.dtype", $"is {ModelConfigFile.Word(config.Input.DType)} but {file} input \"{input.ElementDataType}\" differs");
        }

        var want = config.Input.ItemShape;
        CheckBatchShape(config, "input", config.Input.Name, input.Dimensions, want, file);

        var outputs = session.OutputMetadata;
        for (var i = 0; i < config.Outputs.Count; i++)
        {
            var spec = config.Outputs[i];
            if (!outputs.TryGetValue(spec.Name, out var meta))
            {
                throw Fail(config, $"outputs[{i}].name", $"\"{spec.Name}\" is not an output of {file} (its outputs: {string.Join(", ", outputs.Keys)})");
            }

            if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
            {
                throw Fail(config, $"outputs[{i}].name", $"\"{spec.Name}\" of {file} is {meta.ElementDataType}; the engine reads float32 outputs");
            }

            CheckBatchShape(config, $"outputs[{i}]", spec.Name, meta.Dimensions, null, file);
            var item = meta.Dimensions.Skip(1).ToArray();
            if (spec.Dim is { } dim && item.All(d => d > 0) && item.Aggregate(1L, (a, b) => a * b) != dim)
            {
                throw Fail(config, $"outputs[{i}].dim", $"is {dim} but {file} output \"{spec.Name}\" has shape {Show(meta.Dimensions)} ({item.Aggregate(1L, (a, b) => a * b)} per item)");
            }
        }
    }

    public static string Show(IEnumerable<int> dims) => "[" + string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    private static void CheckBatchShape(ModelConfig config, string field, string name, int[] dims, long[]? itemShape, string file)
    {
        if (dims.Length == 0 || dims[0] > 0 && (dims[0] != 1 || config.Batching.MaxBatchSize > 1))
        {
            throw Fail(config, field, $"\"{name}\" of {file} has shape {Show(dims)}: its first dimension must be a dynamic batch dimension");
        }

        if (itemShape is null)
        {
            return;
        }

        var ok = dims.Length == itemShape.Length + 1;
        for (var i = 0; ok && i < itemShape.Length; i++)
        {
            ok = dims[i + 1] <= 0 || dims[i + 1] == itemShape[i];
        }

        if (!ok)
        {
            throw Fail(config, field, $"describes [batch,{string.Join(",", itemShape)}] but {file} input \"{name}\" has shape {Show(dims)}");
        }
    }

    private static ModelConfigException Fail(ModelConfig config, string field, string message) => new(config.ConfigPath, field, message);
}
