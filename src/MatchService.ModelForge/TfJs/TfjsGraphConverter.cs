using MatchService.ModelForge.Graph;
using Onnx;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// Converts a TF.js graph model to ONNX (opset <see cref="OnnxGraphBuilder.Opset"/>), op by op, through
/// <see cref="OnnxGraphBuilder"/>. Tensors keep TensorFlow's layout (NHWC) and data types; convolutions, pooling and
/// resizing are wrapped in NHWC↔NCHW transposes, which ONNX Runtime's transpose optimiser cancels between
/// neighbours. Only the nodes the requested outputs depend on are written. The ONNX input is always float32 (a
/// Placeholder of another type is followed by a Cast, so integer inputs must be fed as whole numbers) and every
/// output is float32 (other types are cast), as the inference engine exchanges float tensors.
/// </summary>
public static class TfjsGraphConverter
{
    /// <summary>Converts <paramref name="model"/> as <paramref name="options"/> say.</summary>
    public static ModelProto Convert(TfjsGraphModel model, TfjsConversionOptions options)
    {
        var placeholders = model.Nodes.Where(n => n.Op == "Placeholder").ToList();
        if (placeholders.Count != 1)
        {
            throw new NotSupportedException($"{model.Path}: {placeholders.Count} Placeholder nodes; the converter handles graphs with exactly one input");
        }
        var translation = new TfGraphTranslation(model, new OnnxGraphBuilder(options.GraphName));
        translation.DeclareInput(placeholders[0], options.InputName, options.InputShape);
        var outputs = options.Outputs
            ?? model.DefaultOutputs().Select(t => (t, t.Replace(':', '_').Replace('/', '_'))).ToList();
        foreach (var (tensor, name) in outputs)
        {
            translation.Expose(tensor, name);
        }
        options.Head?.Invoke(translation.Graph, translation.FloatValue);
        return translation.Graph.Build("MatchService.ModelForge (TF.js graph model converter)", options.DocString);
    }

    /// <summary>Loads <paramref name="modelJson"/> and converts it.</summary>
    public static ModelProto Convert(string modelJson, TfjsConversionOptions options) =>
        Convert(TfjsGraphModel.Load(modelJson), options);
}
