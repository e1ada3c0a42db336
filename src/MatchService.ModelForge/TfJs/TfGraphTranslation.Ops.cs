using MatchService.ModelForge.Graph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MatchService.ModelForge.TfJs;

/// <summary>The op table: element-wise and comparison ops map one to one (or nearly) onto ONNX operators.</summary>
internal sealed partial class TfGraphTranslation
{
    /// <summary>The TF ops the converter translates.</summary>
    public static readonly IReadOnlySet<string> SupportedOps = new HashSet<string>(StringComparer.Ordinal)
    {
        "Identity", "StopGradient", "Snapshot", "Cast",
        "Add", "AddV2", "BiasAdd", "Sub", "Mul", "RealDiv", "Div", "FloorDiv", "FloorMod", "Maximum", "Minimum", "Pow",
        "SquaredDifference", "AddN", "Neg", "Abs", "Exp", "Log", "Sqrt", "Rsqrt", "Square", "Reciprocal", "Floor", "Ceil",
        "Round", "Sign", "Sigmoid", "Tanh", "Relu", "Relu6", "Elu", "LeakyRelu", "Prelu", "Softmax",
        "Less", "LessEqual", "Greater", "GreaterEqual", "Equal", "NotEqual", "LogicalAnd", "LogicalOr", "LogicalNot",
        "Select", "SelectV2",
        "Conv2D", "_FusedConv2D", "DepthwiseConv2dNative", "FusedDepthwiseConv2dNative", "MatMul", "_FusedMatMul",
        "MaxPool", "AvgPool", "ResizeBilinear", "ResizeNearestNeighbor",
        "Mean", "Sum", "Max", "Min", "ArgMax", "ArgMin", "TopKV2",
        "Reshape", "Squeeze", "ExpandDims", "Transpose", "ConcatV2", "Pack", "Unpack", "Split", "SplitV", "StridedSlice",
        "Pad", "PadV2", "Tile", "Fill", "Range", "Shape", "Size", "GatherV2", "GatherNd",
    };

    private static readonly Dictionary<string, string> Unary = new(StringComparer.Ordinal)
    {
        ["Identity"] = "Identity",
        ["StopGradient"] = "Identity",
        ["Snapshot"] = "Identity",
        ["Neg"] = "Neg",
        ["Abs"] = "Abs",
        ["Exp"] = "Exp",
        ["Log"] = "Log",
        ["Sqrt"] = "Sqrt",
        ["Reciprocal"] = "Reciprocal",
        ["Floor"] = "Floor",
        ["Ceil"] = "Ceil",
        ["Round"] = "Round",
        ["Sign"] = "Sign",
        ["Sigmoid"] = "Sigmoid",
        ["Tanh"] = "Tanh",
        ["Relu"] = "Relu",
        ["Elu"] = "Elu",
        ["Softmax"] = "Softmax",
        ["LogicalNot"] = "Not",
    };

    private static readonly Dictionary<string, string> Binary = new(StringComparer.Ordinal)
    {
        ["Add"] = "Add",
        ["AddV2"] = "Add",
        ["BiasAdd"] = "Add",
        ["Sub"] = "Sub",
        ["Mul"] = "Mul",
        ["RealDiv"] = "Div",
        ["Div"] = "Div",
        ["Maximum"] = "Max",
        ["Minimum"] = "Min",
        ["Pow"] = "Pow",
        ["Less"] = "Less",
        ["LessEqual"] = "LessOrEqual",
        ["Greater"] = "Greater",
        ["GreaterEqual"] = "GreaterOrEqual",
        ["Equal"] = "Equal",
        ["LogicalAnd"] = "And",
        ["LogicalOr"] = "Or",
        ["Prelu"] = "PRelu",
    };

    private void Translate(TfNode node)
    {
        if (Unary.TryGetValue(node.Op, out var unary))
        {
            Set(node, Node(unary, [In(node, 0)], node));
            return;
        }
        if (Binary.TryGetValue(node.Op, out var binary))
        {
            Set(node, Node(binary, [In(node, 0), In(node, 1)], node));
            return;
        }
        switch (node.Op)
        {
            case "Cast":
                Set(node, Cast(In(node, 0), node.Type("DstT")!.Value));
                return;
            case "NotEqual":
                Set(node, Graph.Node("Not", [Node("Equal", [In(node, 0), In(node, 1)], node)]));
                return;
            case "Select" or "SelectV2":
                Set(node, Node("Where", [In(node, 0), In(node, 1), In(node, 2)], node));
                return;
            case "AddN":
                Set(node, Node("Sum", Enumerable.Range(0, node.Inputs.Count).Select(i => In(node, i)).ToArray(), node));
                return;
            case "Square":
                Set(node, Node("Mul", [In(node, 0), In(node, 0)], node));
                return;
            case "SquaredDifference":
                var difference = Graph.Node("Sub", [In(node, 0), In(node, 1)]);
                Set(node, Node("Mul", [difference, difference], node));
                return;
            case "Rsqrt":
                Set(node, Node("Reciprocal", [Graph.Node("Sqrt", [In(node, 0)])], node));
                return;
            case "Relu6":
                Set(node, Node("Clip", [In(node, 0), Graph.Scalar("zero", 0f), Graph.Scalar("six", 6f)], node));
                return;
            case "LeakyRelu":
                Set(node, Node("LeakyRelu", [In(node, 0)], node, Attr.Real("alpha", node.Real("alpha", 0.2f))));
                return;
            case "FloorDiv":
                Set(node, FloorDiv(node));
                return;
            case "FloorMod":
                Set(node, FloorMod(node));
                return;
        }
        if (!TranslateLayer(node) && !TranslateShapeOp(node) && !TranslateReduction(node))
        {
            throw new NotSupportedException(
                $"{model.Path}: {node} is not translated; supported ops: {string.Join(", ", SupportedOps.Order(StringComparer.Ordinal))}");
        }
    }

    // TensorFlow floors the quotient; ONNX Div truncates integers, so integers go through float (exact below 2^24).
    private string FloorDiv(TfNode node)
    {
        var type = TypeOf(node, 0);
        if (type == DataType.Float)
        {
            return Node("Floor", [Graph.Node("Div", [In(node, 0), In(node, 1)])], node);
        }
        var quotient = Graph.Node("Div", [Cast(In(node, 0), DataType.Float), Cast(In(node, 1), DataType.Float)]);
        return Cast(Node("Floor", [quotient], node), type);
    }

    // TensorFlow's remainder has the divisor's sign: ONNX Mod with fmod 0 for integers, a − floor(a / b) × b for floats.
    private string FloorMod(TfNode node)
    {
        if (TypeOf(node, 0) != DataType.Float)
        {
            return Node("Mod", [In(node, 0), In(node, 1)], node, Attr.Count("fmod", 0));
        }
        var (a, b) = (In(node, 0), In(node, 1));
        var floor = Graph.Node("Floor", [Graph.Node("Div", [a, b])]);
        return Node("Sub", [a, Graph.Node("Mul", [floor, b])], node);
    }
}
