using Google.Protobuf;
using Onnx;

namespace MatchService.ModelForge.Graph;

/// <summary>
/// Builds an ONNX graph node by node with standard operators (default opset 17) and writes the model through
/// Google.Protobuf. Values get unique names derived from a hint; inputs and outputs take a symbolic batch dimension.
/// </summary>
public sealed class OnnxGraphBuilder
{
    /// <summary>Opset the graphs target: ReduceMean and friends still take axes as an attribute here.</summary>
    public const long Opset = 17;

    /// <summary>Name of the dynamic first dimension of every input and output.</summary>
    public const string BatchDim = "batch";

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>Starts an empty graph called <paramref name="name"/>.</summary>
    public OnnxGraphBuilder(string name) => _graph = new GraphProto { Name = name };

    /// <summary>Declares a float input [batch, dims...].</summary>
    public string Input(string name, params long[] dims)
    {
        _graph.Input.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>
    /// Declares an input of element type <paramref name="type"/> whose dimensions are given in full; a null
    /// dimension is symbolic (<see cref="BatchDim"/> for the first, <c>{name}_d{i}</c> for the others).
    /// </summary>
    public string TypedInput(string name, TensorProto.Types.DataType type, IReadOnlyList<long?> dims)
    {
        var shape = new TensorShapeProto();
        for (var i = 0; i < dims.Count; i++)
        {
            shape.Dim.Add(dims[i] is { } d
                ? new TensorShapeProto.Types.Dimension { DimValue = d }
                : new TensorShapeProto.Types.Dimension { DimParam = i == 0 ? BatchDim : $"{name}_d{i}" });
        }
        _graph.Input.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        });
        Claim(name);
        return name;
    }

    /// <summary>Exposes <paramref name="value"/> as the graph output <paramref name="name"/> of element type <paramref name="type"/>, shape left to the runtime.</summary>
    public void TypedOutput(string value, string name, TensorProto.Types.DataType type)
    {
        Claim(name);
        _graph.Node.Add(NewNode("Identity", [value], [name]));
        _graph.Output.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type } },
        });
    }

    /// <summary>Exposes <paramref name="value"/> as the graph output <paramref name="name"/> with shape [batch, dims...].</summary>
    public void Output(string value, string name, params long[] dims)
    {
        Claim(name);
        _graph.Node.Add(NewNode("Identity", [value], [name]));
        _graph.Output.Add(ValueInfo(name, dims));
    }

    /// <summary>A float initializer with the given shape.</summary>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        if (values.Length != dims.Aggregate(1L, (a, b) => a * b))
        {
            throw new ArgumentException($"constant '{hint}': {values.Length} values do not fill shape [{string.Join(",", dims)}]");
        }
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        var raw = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        tensor.RawData = ByteString.CopyFrom(raw);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A float scalar initializer.</summary>
    public string Scalar(string hint, float value) => Constant(hint, [value]);

    /// <summary>A 1-D int64 initializer (shapes, pads, axes, indices).</summary>
    public string Int64s(string hint, params long[] values)
    {
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>An int32 initializer of the given shape (empty: a scalar).</summary>
    public string Int32s(string hint, int[] values, params long[] dims)
    {
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int32 };
        tensor.Dims.AddRange(dims);
        tensor.Int32Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>A 0-D int64 initializer (Gather index that drops the axis).</summary>
    public string Int64Scalar(string hint, long value)
    {
        var name = Unique(hint);
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Int64Data.Add(value);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds one node with a single output and returns the output's name.</summary>
    public string Node(string op, string[] inputs, string? hint = null, params AttributeProto[] attributes)
    {
        var output = Unique(hint ?? op.ToLowerInvariant());
        _graph.Node.Add(NewNode(op, inputs, [output], attributes));
        return output;
    }

    /// <summary>Adds one node with <paramref name="outputs"/> outputs and returns their names.</summary>
    public string[] Nodes(string op, string[] inputs, int outputs, string? hint = null, params AttributeProto[] attributes)
    {
        var names = Enumerable.Range(0, outputs).Select(_ => Unique(hint ?? op.ToLowerInvariant())).ToArray();
        _graph.Node.Add(NewNode(op, inputs, names, attributes));
        return names;
    }

    /// <summary>The finished model: opset <see cref="Opset"/>, IR version 8.</summary>
    public ModelProto Build(string producer, string docString)
    {
        var model = new ModelProto
        {
            IrVersion = 8,
            ProducerName = producer,
            ProducerVersion = "1",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> (creating the folder).</summary>
    public static void Save(ModelProto model, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var tmp = path + ".tmp";
        File.WriteAllBytes(tmp, model.ToByteArray());
        File.Move(tmp, path, overwrite: true);
    }

    private NodeProto NewNode(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = Unique("node_" + op) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        return node;
    }

    private void Claim(string name)
    {
        if (!_used.Add(name))
        {
            throw new InvalidOperationException($"graph {_graph.Name}: name '{name}' is already used by another value");
        }
    }

    // A hint's n-th use becomes hint_n, skipping names already taken (a TF node may itself be called "x_1").
    private string Unique(string hint)
    {
        _counters.TryGetValue(hint, out var n);
        var name = n == 0 ? hint : $"{hint}_{n}";
        while (!_used.Add(name))
        {
            n++;
            name = $"{hint}_{n}";
        }
        _counters[hint] = n + 1;
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = BatchDim });
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape },
            },
        };
    }
}
