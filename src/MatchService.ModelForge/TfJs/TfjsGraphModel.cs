using System.Text.Json;
using MatchService.ModelForge.Weights;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// A TensorFlow.js graph model as published: <c>model.json</c> (format <c>graph-model</c>, a GraphDef node list in
/// <c>modelTopology.node</c>, an optional <c>signature</c>) and the <c>.bin</c> shards its <c>weightsManifest</c> names.
/// Every Const node's value is in the manifest under the node's name.
/// </summary>
public sealed class TfjsGraphModel
{
    private readonly Dictionary<string, TfNode> _byName;

    private TfjsGraphModel(string path, IReadOnlyList<TfNode> nodes, TfjsWeightMap weights,
        IReadOnlyList<string> signatureInputs, IReadOnlyList<string> signatureOutputs)
    {
        Path = path;
        Nodes = nodes;
        Weights = weights;
        SignatureInputs = signatureInputs;
        SignatureOutputs = signatureOutputs;
        _byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
    }

    /// <summary>The model.json file.</summary>
    public string Path { get; }

    /// <summary>Every node, in file order.</summary>
    public IReadOnlyList<TfNode> Nodes { get; }

    /// <summary>The dequantised weights (the Const nodes' values).</summary>
    public TfjsWeightMap Weights { get; }

    /// <summary>Tensor names of the signature's inputs (empty when the model has no signature).</summary>
    public IReadOnlyList<string> SignatureInputs { get; }

    /// <summary>Tensor names of the signature's outputs (empty when the model has no signature).</summary>
    public IReadOnlyList<string> SignatureOutputs { get; }

    /// <summary>The node called <paramref name="name"/>; throws with the model's path when there is none.</summary>
    public TfNode Node(string name) =>
        _byName.TryGetValue(name, out var n) ? n : throw new KeyNotFoundException($"{Path}: no node called '{name}'");

    /// <summary>
    /// The graph's outputs: the signature's when it has any, otherwise every non-Const node no other node reads
    /// (in file order).
    /// </summary>
    public IReadOnlyList<string> DefaultOutputs()
    {
        if (SignatureOutputs.Count > 0)
        {
            return SignatureOutputs;
        }
        var read = Nodes.SelectMany(n => n.Inputs).Select(i => TensorRef.Parse(i).Node).ToHashSet(StringComparer.Ordinal);
        return Nodes.Where(n => n.Op is not ("Const" or "Placeholder") && !read.Contains(n.Name)).Select(n => n.Name).ToList();
    }

    /// <summary>Reads <paramref name="modelJson"/> and the weight shards next to it.</summary>
    public static TfjsGraphModel Load(string modelJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(modelJson));
        var root = doc.RootElement;
        if (root.TryGetProperty("format", out var format) && format.GetString() != "graph-model")
        {
            throw new InvalidDataException($"{modelJson}: format '{format.GetString()}' is not a TF.js graph model");
        }
        if (!root.TryGetProperty("modelTopology", out var topology) || !topology.TryGetProperty("node", out var nodes))
        {
            throw new InvalidDataException($"{modelJson}: no modelTopology.node list (is it a layers model?)");
        }
        var weights = TfjsWeightMap.FromManifest(root.GetProperty("weightsManifest"),
            System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(modelJson))!, modelJson);
        var (inputs, outputs) = (new List<string>(), new List<string>());
        if (root.TryGetProperty("signature", out var signature) && signature.ValueKind == JsonValueKind.Object)
        {
            inputs.AddRange(SignatureNames(signature, "inputs"));
            outputs.AddRange(SignatureNames(signature, "outputs"));
        }
        return new TfjsGraphModel(modelJson, nodes.EnumerateArray().Select(TfNode.Parse).ToList(), weights, inputs, outputs);
    }

    private static IEnumerable<string> SignatureNames(JsonElement signature, string kind) =>
        signature.TryGetProperty(kind, out var entries)
            ? entries.EnumerateObject().Select(e => e.Value.TryGetProperty("name", out var n) ? n.GetString()! : e.Name)
            : [];
}

/// <summary>A reference to one output of a node: <c>node</c> (output 0) or <c>node:k</c>.</summary>
public readonly record struct TensorRef(string Node, int Index)
{
    /// <summary>Parses <c>name</c> or <c>name:k</c> (a trailing <c>:digits</c> is the output index).</summary>
    public static TensorRef Parse(string reference)
    {
        var colon = reference.LastIndexOf(':');
        return colon > 0 && int.TryParse(reference.AsSpan(colon + 1), System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var index)
            ? new TensorRef(reference[..colon], index)
            : new TensorRef(reference, 0);
    }
}
