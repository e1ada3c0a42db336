using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Weights;
using Onnx;

namespace MatchService.ModelForge.FaceApi;

/// <summary>
/// face-api's FaceRecognitionNet (dlib's ResNet-34-like face descriptor) as ONNX: input "input" [B,150,150,3] RGB
/// already normalised as (rgb − mean) / std (config.json), output "embedding" [B,128] (not unit length).
/// Each conv's bias and the following scale layer are folded into the convolution.
/// </summary>
public static class FaceRecognitionNetWriter
{
    /// <summary>Name of the weights in face-api's model folder.</summary>
    public const string WeightsName = "face_recognition_model";

    /// <summary>Builds the graph from the weight map.</summary>
    public static ModelProto Build(TfjsWeightMap weights)
    {
        var layers = new TfLayerWriter(new OnnxGraphBuilder("face_recognition"));
        var x = layers.NhwcInput("input", 150, 150, 3);

        x = layers.Relu(ConvLayer(layers, weights, x, "conv32_down", stride: 2, TfPadding.Valid));
        x = layers.MaxPool(x, 3, 2);
        foreach (var block in new[] { "conv32_1", "conv32_2", "conv32_3" })
        {
            x = Residual(layers, weights, x, block);
        }
        x = ResidualDown(layers, weights, x, "conv64_down");
        foreach (var block in new[] { "conv64_1", "conv64_2", "conv64_3" })
        {
            x = Residual(layers, weights, x, block);
        }
        x = ResidualDown(layers, weights, x, "conv128_down");
        x = Residual(layers, weights, x, "conv128_1");
        x = Residual(layers, weights, x, "conv128_2");
        x = ResidualDown(layers, weights, x, "conv256_down");
        x = Residual(layers, weights, x, "conv256_1");
        x = Residual(layers, weights, x, "conv256_2");
        x = ResidualDown(layers, weights, x, "conv256_down_out");

        var g = layers.Graph;
        var pooled = g.Node("ReduceMean", [x.Name], "global_avg", Attr.Ints("axes", 2, 3), Attr.Count("keepdims", 0));
        var fc = weights["fc"];
        var embedding = g.Node("MatMul", [pooled, g.Constant("fc", fc.Values, fc.Shape[0], fc.Shape[1])], "fc");
        g.Output(embedding, "embedding", fc.Shape[1]);
        return g.Build("MatchService.ModelForge", "dlib face descriptor (ResNet) converted from @vladmandic/face-api 1.7.15");
    }

    private static FeatureMap ConvLayer(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix, int stride, TfPadding padding) =>
        layers.Conv(x, w[$"{prefix}/conv/filters"], stride, padding, prefix.Replace('/', '_'),
            bias: w[$"{prefix}/conv/bias"].Values, scale: w[$"{prefix}/scale/weights"].Values, shift: w[$"{prefix}/scale/biases"].Values);

    private static FeatureMap Residual(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix)
    {
        var o = layers.Relu(ConvLayer(layers, w, x, $"{prefix}/conv1", 1, TfPadding.Same));
        o = ConvLayer(layers, w, o, $"{prefix}/conv2", 1, TfPadding.Same);
        return layers.Relu(layers.Add(o, x));
    }

    private static FeatureMap ResidualDown(TfLayerWriter layers, TfjsWeightMap w, FeatureMap x, string prefix)
    {
        var o = layers.Relu(ConvLayer(layers, w, x, $"{prefix}/conv1", 2, TfPadding.Valid));
        o = ConvLayer(layers, w, o, $"{prefix}/conv2", 1, TfPadding.Same);
        var pooled = layers.AvgPool(x, 2, 2);
        // face-api pads the conv branch with a zero row and column when its spatial size falls one short of the pool's.
        if (pooled.Height != o.Height || pooled.Width != o.Width)
        {
            o = layers.PadEnd(o, 0, pooled.Height - o.Height, pooled.Width - o.Width);
        }
        // ... and the shortcut with zero channels when the block doubles the channel count.
        if (pooled.Channels != o.Channels)
        {
            pooled = layers.PadEnd(pooled, o.Channels - pooled.Channels, 0, 0);
        }
        return layers.Relu(layers.Add(pooled, o));
    }
}
