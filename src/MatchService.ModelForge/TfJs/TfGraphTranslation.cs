using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// State of one conversion: which ONNX value (and element type) each TF tensor became, written on demand by walking
/// back from the outputs. The op translations live in the <c>TfGraphTranslation.*.cs</c> files.
/// </summary>
internal sealed partial class TfGraphTranslation(TfjsGraphModel model, OnnxGraphBuilder graph)
{
    private readonly Dictionary<TensorRef, (string Value, DataType Type)> _values = [];
    private readonly HashSet<string> _inProgress = new(StringComparer.Ordinal);

    public OnnxGraphBuilder Graph { get; } = graph;

    public void DeclareInput(TfNode placeholder, string name, IReadOnlyList<long?>? shape)
    {
        var dims = shape ?? placeholder.Shape("shape")?.Select(d => d < 0 ? (long?)null : d).ToList()
            ?? throw new NotSupportedException($"{model.Path}: {placeholder} has no known rank; give the input shape");
        var type = placeholder.Type("dtype") ?? DataType.Float;
        Graph.TypedInput(name, DataType.Float, dims);
        var value = type == DataType.Float ? name : Cast(name, type);
        _values[new TensorRef(placeholder.Name, 0)] = (value, type);
    }

    public void Expose(string tensor, string name)
    {
        var reference = TensorRef.Parse(tensor);
        var (value, type) = Value(reference);
        Graph.TypedOutput(type == DataType.Float ? value : Cast(value, DataType.Float), name, DataType.Float);
    }

    /// <summary>The ONNX value of a TF tensor as float32 (cast when TF has another type), for heads written after the graph.</summary>
    public string FloatValue(string tensor)
    {
        var (value, type) = Value(TensorRef.Parse(tensor));
        return type == DataType.Float ? value : Cast(value, DataType.Float);
    }

    /// <summary>The ONNX value of a TF tensor, translating its node (and what it reads) first.</summary>
    private (string Value, DataType Type) Value(TensorRef reference)
    {
        if (_values.TryGetValue(reference, out var known))
        {
            return known;
        }
        var node = model.Node(reference.Node);
        if (!_inProgress.Add(node.Name))
        {
            throw new NotSupportedException($"{model.Path}: {node} is part of a cycle (control flow is not supported)");
        }
        if (node.Op == "Const")
        {
            var weight = model.Weights[node.Name];
            var type = node.Type("dtype") ?? DataType.Float;
            var dims = weight.Shape.Select(d => (long)d).ToArray();
            var name = type switch
            {
                DataType.Float => Graph.Constant(Hint(node), weight.Values, dims),
                DataType.Int32 => Graph.Int32s(Hint(node), weight.Ints ?? Array.ConvertAll(weight.Values, v => (int)v), dims),
                // TF.js stores int64 constants as int32 values.
                DataType.Int64 => Cast(Graph.Int32s(Hint(node), weight.Ints ?? Array.ConvertAll(weight.Values, v => (int)v), dims), DataType.Int64),
                _ => throw new NotSupportedException($"{model.Path}: {node} holds {type}, only float32, int32 and int64 constants are supported"),
            };
            _values[new TensorRef(node.Name, 0)] = (name, type);
        }
        else
        {
            Translate(node);
        }
        _inProgress.Remove(node.Name);
        return _values.TryGetValue(reference, out var value)
            ? value
            : throw new InvalidDataException($"{model.Path}: {node} has no output {reference.Index}");
    }

    // ---- helpers for the op translations --------------------------------------------------------------------

    /// <summary>The ONNX value of data input <paramref name="i"/>.</summary>
    private string In(TfNode node, int i) => Value(InputRef(node, i)).Value;

    /// <summary>The element type of data input <paramref name="i"/>.</summary>
    private DataType TypeOf(TfNode node, int i) => Value(InputRef(node, i)).Type;

    /// <summary>The constant value of input <paramref name="i"/> (filters, axes, permutations...), which must be a Const node.</summary>
    private WeightTensor Const(TfNode node, int i)
    {
        var reference = InputRef(node, i);
        var source = model.Node(reference.Node);
        return source.Op == "Const"
            ? model.Weights[source.Name]
            : throw new NotSupportedException($"{model.Path}: input {i} of {node} must be a constant, it is {source}");
    }

    /// <summary>Integer values of a constant input.</summary>
    private long[] ConstInts(TfNode node, int i)
    {
        var w = Const(node, i);
        return w.Ints is { } ints ? Array.ConvertAll(ints, v => (long)v) : Array.ConvertAll(w.Values, v => (long)v);
    }

    private TensorRef InputRef(TfNode node, int i) =>
        i < node.Inputs.Count ? TensorRef.Parse(node.Inputs[i]) : throw new InvalidDataException($"{model.Path}: {node} has no input {i}");

    /// <summary>Records the node's outputs, the element type of output k given by <see cref="OutputType"/>.</summary>
    private void Set(TfNode node, params string[] outputs)
    {
        for (var k = 0; k < outputs.Length; k++)
        {
            _values[new TensorRef(node.Name, k)] = (outputs[k], OutputType(node, k));
        }
    }

    private DataType OutputType(TfNode node, int k) => node.Op switch
    {
        "Cast" => node.Type("DstT")!.Value,
        "Shape" or "Size" => node.Type("out_type") ?? DataType.Int32,
        "Less" or "LessEqual" or "Greater" or "GreaterEqual" or "Equal" or "NotEqual"
            or "LogicalAnd" or "LogicalOr" or "LogicalNot" => DataType.Bool,
        "ArgMax" or "ArgMin" => node.Type("output_type") ?? DataType.Int64,
        "TopKV2" when k == 1 => DataType.Int32,
        "Range" => node.Type("Tidx") ?? TypeOf(node, 0),
        _ => node.Type("T") ?? TypeOf(node, 0),
    };

    private static string Hint(TfNode node)
    {
        var slash = node.Name.LastIndexOf('/');
        return slash >= 0 && slash < node.Name.Length - 1 ? node.Name[(slash + 1)..] : node.Name;
    }

    private string Node(string op, string[] inputs, TfNode hint, params AttributeProto[] attributes) =>
        Graph.Node(op, inputs, Hint(hint), attributes);

    private string Cast(string value, DataType to) =>
        Graph.Node("Cast", [value], "cast", Attr.Count("to", (long)to));

    /// <summary>An int32/int64 value as int64 (what ONNX wants for shapes, repeats, indices, K).</summary>
    private string Int64(TfNode node, int i) =>
        TypeOf(node, i) == DataType.Int64 ? In(node, i) : Cast(In(node, i), DataType.Int64);

    private string ToNchw(string nhwc) => Graph.Node("Transpose", [nhwc], "to_nchw", Attr.Ints("perm", 0, 3, 1, 2));

    private string ToNhwc(string nchw) => Graph.Node("Transpose", [nchw], "to_nhwc", Attr.Ints("perm", 0, 2, 3, 1));
}
