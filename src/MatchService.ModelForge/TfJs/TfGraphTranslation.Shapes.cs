using MatchService.ModelForge.Graph;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MatchService.ModelForge.TfJs;

/// <summary>
/// Shape and indexing ops. TensorFlow's int32 shape tensors stay int32 in the graph and are cast to int64 where an
/// ONNX operator wants it (Reshape, Tile, Expand, GatherND, TopK); ONNX's int64 results (Shape, Size, TopK indices,
/// ArgMax) are cast back to the TF type.
/// </summary>
internal sealed partial class TfGraphTranslation
{
    private bool TranslateShapeOp(TfNode node)
    {
        switch (node.Op)
        {
            case "Reshape":
                // allowzero: a 0 in a TF shape means an empty dimension, not "copy the input's".
                Set(node, Node("Reshape", [In(node, 0), Int64(node, 1)], node, Attr.Count("allowzero", 1)));
                return true;
            case "Squeeze":
                var axes = node.Ints("squeeze_dims");
                Set(node, axes.Length == 0
                    ? Node("Squeeze", [In(node, 0)], node)
                    : Node("Squeeze", [In(node, 0), Graph.Int64s("axes", axes)], node));
                return true;
            case "ExpandDims":
                Set(node, Node("Unsqueeze", [In(node, 0), Graph.Int64s("axes", ConstInts(node, 1))], node));
                return true;
            case "Transpose":
                Set(node, Node("Transpose", [In(node, 0)], node, Attr.Ints("perm", ConstInts(node, 1))));
                return true;
            case "ConcatV2":
                var count = node.Inputs.Count - 1;
                Set(node, Node("Concat", Enumerable.Range(0, count).Select(i => In(node, i)).ToArray(), node,
                    Attr.Count("axis", ConstInts(node, count)[0])));
                return true;
            case "Pack":
                var axis = node.Number("axis");
                var unsqueezed = Enumerable.Range(0, node.Inputs.Count)
                    .Select(i => Graph.Node("Unsqueeze", [In(node, i), Graph.Int64s("axes", axis)])).ToArray();
                Set(node, Node("Concat", unsqueezed, node, Attr.Count("axis", axis)));
                return true;
            case "Unpack":
                var unpackAxis = node.Number("axis");
                var parts = Graph.Nodes("Split", [In(node, 0)], (int)node.Number("num"), Hint(node), Attr.Count("axis", unpackAxis));
                Set(node, parts.Select(p => Graph.Node("Squeeze", [p, Graph.Int64s("axes", unpackAxis)], "unpacked")).ToArray());
                return true;
            case "Split":
                Set(node, Graph.Nodes("Split", [In(node, 1)], (int)node.Number("num_split"), Hint(node),
                    Attr.Count("axis", ConstInts(node, 0)[0])));
                return true;
            case "SplitV":
                var sizes = ConstInts(node, 1);
                if (sizes.Any(s => s < 0))
                {
                    throw new NotSupportedException($"{model.Path}: {node} has an inferred (-1) split size");
                }
                Set(node, Graph.Nodes("Split", [In(node, 0), Graph.Int64s("split", sizes)], sizes.Length, Hint(node),
                    Attr.Count("axis", ConstInts(node, 2)[0])));
                return true;
            case "StridedSlice":
                Set(node, StridedSlice(node));
                return true;
            case "Pad" or "PadV2":
                var paddings = ConstInts(node, 1);
                var rank = paddings.Length / 2;
                var pads = Enumerable.Range(0, rank).Select(i => paddings[2 * i])
                    .Concat(Enumerable.Range(0, rank).Select(i => paddings[(2 * i) + 1])).ToArray();
                string[] padInputs = node.Op == "PadV2"
                    ? [In(node, 0), Graph.Int64s("pads", pads), In(node, 2)]
                    : [In(node, 0), Graph.Int64s("pads", pads)];
                Set(node, Node("Pad", padInputs, node, Attr.Text("mode", "constant")));
                return true;
            case "Tile":
                Set(node, Node("Tile", [In(node, 0), Int64(node, 1)], node));
                return true;
            case "Fill":
                Set(node, Node("Expand", [In(node, 1), Int64(node, 0)], node));
                return true;
            case "Range":
                Set(node, Node("Range", [In(node, 0), In(node, 1), In(node, 2)], node));
                return true;
            case "Shape" or "Size":
                var result = Node(node.Op, [In(node, 0)], node);
                var type = node.Type("out_type") ?? DataType.Int32;
                Set(node, type == DataType.Int64 ? result : Cast(result, type));
                return true;
            case "GatherV2":
                if (node.Number("batch_dims") != 0)
                {
                    throw new NotSupportedException($"{model.Path}: {node} has batch_dims {node.Number("batch_dims")}; only 0 is supported");
                }
                Set(node, Node("Gather", [In(node, 0), In(node, 1)], node, Attr.Count("axis", ConstInts(node, 2)[0])));
                return true;
            case "GatherNd":
                Set(node, Node("GatherND", [In(node, 0), Int64(node, 1)], node));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// StridedSlice with constant begin/end/strides: one Slice over the real axes, then Squeeze for shrink_axis_mask and
    /// Unsqueeze for new_axis_mask. begin_mask/end_mask take the whole axis; ellipsis_mask is not supported.
    /// </summary>
    private string StridedSlice(TfNode node)
    {
        var (begin, end, strides) = (ConstInts(node, 1), ConstInts(node, 2), ConstInts(node, 3));
        var (beginMask, endMask) = (node.Number("begin_mask"), node.Number("end_mask"));
        var (shrinkMask, newAxisMask) = (node.Number("shrink_axis_mask"), node.Number("new_axis_mask"));
        if (node.Number("ellipsis_mask") != 0)
        {
            throw new NotSupportedException($"{model.Path}: {node} uses ellipsis_mask");
        }
        List<long> starts = [], ends = [], axes = [], steps = [], shrink = [], added = [];
        var (inputAxis, outputAxis) = (0L, 0L);
        for (var i = 0; i < begin.Length; i++)
        {
            var bit = 1L << i;
            if ((newAxisMask & bit) != 0)
            {
                added.Add(outputAxis++);
                continue;
            }
            if ((shrinkMask & bit) != 0)
            {
                starts.Add(begin[i]);
                ends.Add(begin[i] == -1 ? long.MaxValue : begin[i] + 1);
                steps.Add(1);
                axes.Add(inputAxis);
                shrink.Add(inputAxis++);
                continue;
            }
            var step = strides[i];
            starts.Add((beginMask & bit) != 0 ? (step > 0 ? 0 : long.MaxValue) : begin[i]);
            ends.Add((endMask & bit) != 0 ? (step > 0 ? long.MaxValue : long.MinValue) : end[i]);
            steps.Add(step);
            axes.Add(inputAxis++);
            outputAxis++;
        }
        var value = In(node, 0);
        if (axes.Count > 0)
        {
            value = Graph.Node("Slice", [value, Graph.Int64s("starts", [.. starts]), Graph.Int64s("ends", [.. ends]),
                Graph.Int64s("axes", [.. axes]), Graph.Int64s("steps", [.. steps])], Hint(node));
        }
        if (shrink.Count > 0)
        {
            value = Graph.Node("Squeeze", [value, Graph.Int64s("axes", [.. shrink])], Hint(node));
        }
        if (added.Count > 0)
        {
            value = Graph.Node("Unsqueeze", [value, Graph.Int64s("axes", [.. added])], Hint(node));
        }
        return axes.Count + shrink.Count + added.Count == 0 ? Node("Identity", [value], node) : value;
    }

    private bool TranslateReduction(TfNode node)
    {
        switch (node.Op)
        {
            case "Mean" or "Max" or "Min":
                var op = node.Op switch { "Mean" => "ReduceMean", "Max" => "ReduceMax", _ => "ReduceMin" };
                Set(node, Node(op, [In(node, 0)], node, Attr.Ints("axes", ConstInts(node, 1)), Attr.Count("keepdims", node.Bool("keep_dims") ? 1 : 0)));
                return true;
            case "Sum":
                Set(node, Node("ReduceSum", [In(node, 0), Graph.Int64s("axes", ConstInts(node, 1))], node,
                    Attr.Count("keepdims", node.Bool("keep_dims") ? 1 : 0)));
                return true;
            case "ArgMax" or "ArgMin":
                var index = Node(node.Op, [In(node, 0)], node, Attr.Count("axis", ConstInts(node, 1)[0]), Attr.Count("keepdims", 0));
                var type = node.Type("output_type") ?? DataType.Int64;
                Set(node, type == DataType.Int64 ? index : Cast(index, type));
                return true;
            case "TopKV2":
                // TF takes the k largest along the last axis, sorted when asked; ONNX's TopK always sorts, which is
                // a valid order for sorted=false too.
                var k = Graph.Node("Reshape", [Int64(node, 1), Graph.Int64s("one", 1)], "k");
                var outputs = Graph.Nodes("TopK", [In(node, 0), k], 2, Hint(node), Attr.Count("axis", -1), Attr.Count("largest", 1), Attr.Count("sorted", 1));
                Set(node, outputs[0], Cast(outputs[1], DataType.Int32));
                return true;
            default:
                return false;
        }
    }
}
