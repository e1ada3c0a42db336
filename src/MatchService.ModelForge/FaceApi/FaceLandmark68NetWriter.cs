using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;

namespace MatchService.ModelForge.FaceApi;

/// <summary>
/// face-api's FaceLandmark68Net (four densely connected blocks of depthwise-separable convs, then a fully connected
/// layer) as ONNX: input "input" [B,112,112,3] RGB normalised as (rgb − mean) / 255, output "landmarks" [B,136]:
/// x, y of the 68 points relative to the (centred-padded) square input. MatchService.Vision.FaceLandmarks68
/// maps them back to image pixels.
/// </summary>
public static class FaceLandmark68NetWriter
{
    /// <summary>Name of the weights in face-api's model folder.</summary>
    public const string WeightsName = "face_landmark_68_model";

    /// <summary>Input side.</summary>
    public const int InputSize = 112;

    /// <summary>Builds the graph from the weight map.</summary>
    public static ModelProto Build(TfjsWeightMap w)
    {
        var layers = new TfLayerWriter(new OnnxGraphBuilder("face_landmarks"));
        var x = layers.NhwcInput("input", InputSize, InputSize, 3);
        for (var i = 0; i < 4; i++)
        {
            x = DenseBlock(layers, w, x, $"dense{i}", first: i == 0);
        }
        x = layers.AvgPool(x, 7, 2);
        var g = layers.Graph;
        var flat = g.Node("Flatten", [x.Name], "flat", Attr.Count("axis", 1));
        var fcW = w["fc/weights"];
        var fc = g.Node("Gemm", [flat, g.Constant("fc_w", fcW.Values, fcW.Shape[0], fcW.Shape[1]), g.Constant("fc_b", w["fc/bias"].Values, fcW.Shape[1])], "fc");
        g.Output(fc, "landmarks", fcW.Shape[1]);
        return g.Build("MatchService.ModelForge", "68-point face landmark net converted from @vladmandic/face-api 1.7.15");
    }

    private static FeatureMap DenseBlock(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix, bool first)
    {
        var out1 = layers.Relu(first
            ? layers.Conv(x, w[$"{prefix}/conv0/filters"], 2, TfPadding.Same, $"{prefix}_conv0", bias: w[$"{prefix}/conv0/bias"].Values)
            : SeparableConv(layers, w, x, $"{prefix}/conv0", 2));
        var out2 = SeparableConv(layers, w, out1, $"{prefix}/conv1", 1);
        var out3 = SeparableConv(layers, w, layers.Relu(layers.Add(out1, out2)), $"{prefix}/conv2", 1);
        var sum3 = layers.Add(out1, layers.Add(out2, out3));
        var out4 = SeparableConv(layers, w, layers.Relu(sum3), $"{prefix}/conv3", 1);
        return layers.Relu(layers.Add(out1, layers.Add(out2, layers.Add(out3, out4))));
    }

    /// <summary>TensorFlow's separableConv2d ('same'; the stride applies to the depthwise step) plus bias.</summary>
    private static FeatureMap SeparableConv(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix, int stride)
    {
        var hint = prefix.Replace('/', '_');
        var depthwise = layers.DepthwiseConv(x, w[$"{prefix}/depthwise_filter"], stride, TfPadding.Same, hint + "_dw");
        return layers.Conv(depthwise, w[$"{prefix}/pointwise_filter"], 1, TfPadding.Same, hint + "_pw", bias: w[$"{prefix}/bias"].Values);
    }
}
