namespace MatchService.ModelForge.TfJs;

/// <summary>How a TF.js graph model becomes an ONNX graph: the names and shape of its input, which outputs to keep.</summary>
public sealed record TfjsConversionOptions
{
    /// <summary>Name of the ONNX graph (and of the model in error messages).</summary>
    public required string GraphName { get; init; }

    /// <summary>Doc string stored in the model: where the weights come from.</summary>
    public string DocString { get; init; } = "";

    /// <summary>Name of the ONNX input (the graph's single Placeholder).</summary>
    public string InputName { get; init; } = "input";

    /// <summary>
    /// The input's dimensions; null entries are symbolic (the first is <c>batch</c>). When null, the Placeholder's
    /// own shape is used, its unknown (-1) dimensions symbolic.
    /// </summary>
    public IReadOnlyList<long?>? InputShape { get; init; }

    /// <summary>
    /// TF tensor names (<c>node</c> or <c>node:k</c>) to expose, each with its ONNX output name; null keeps the
    /// model's signature outputs (or its unread nodes) under their TF names with ':' and '/' replaced by '_'.
    /// </summary>
    public IReadOnlyList<(string Tensor, string Name)>? Outputs { get; init; }

    /// <summary>
    /// Extra graph written after the outputs (decoding that the TF graph leaves to JavaScript): it gets the graph and
    /// a lookup from a TF tensor name to its ONNX value, and declares its own outputs (<see cref="MatchService.ModelForge.Graph.OnnxGraphBuilder.TypedOutput"/>).
    /// </summary>
    public Action<MatchService.ModelForge.Graph.OnnxGraphBuilder, Func<string, string>>? Head { get; init; }
}
