using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using ImagingLayout = MatchService.Imaging.Tensors.TensorLayout;
using InferenceLayout = MatchService.Inference.Configuration.TensorLayout;

namespace MatchService.Server.Pipeline;

/// <summary>Translates a model's <c>config.json</c> input block into Imaging's <see cref="TensorSpec"/>.</summary>
public static class ModelTensorSpec
{
    /// <summary>The packing contract of an image-input model.</summary>
    /// <exception cref="ArgumentException">The model takes a vector input, not an image.</exception>
    public static TensorSpec For(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var input = config.Input;
        if (input.IsVector || input.Channels != 3)
        {
            throw new ArgumentException($"model {config.Name} does not take a 3-channel image input ({config.ConfigPath})");
        }

        return new TensorSpec
        {
            Width = input.Width,
            Height = input.Height,
            Layout = input.Layout == InferenceLayout.Nhwc ? ImagingLayout.Nhwc : ImagingLayout.Nchw,
            ChannelOrder = input.Color == ColorOrder.Bgr ? ChannelOrder.Bgr : ChannelOrder.Rgb,
            ElementType = input.DType == InputDType.Uint8 ? TensorElementType.UInt8 : TensorElementType.Float32,
            Mean = Channels(input.Mean, 0),
            Std = Channels(input.Std, 1),
            Resize = input.Resize == ResizeMode.Area ? ResizeKind.Area : ResizeKind.Bilinear,
        };
    }

    private static ChannelValues Channels(IReadOnlyList<float> values, float fallback) => values.Count switch
    {
        0 => ChannelValues.All(fallback),
        1 => ChannelValues.All(values[0]),
        _ => new ChannelValues(values[0], values[1], values[2]),
    };
}
