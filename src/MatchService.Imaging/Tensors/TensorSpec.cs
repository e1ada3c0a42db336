using System.Text.Json.Serialization;
using MatchService.Imaging.Geometry;

namespace MatchService.Imaging.Tensors;

/// <summary>Memory layout of one image in a batch tensor.</summary>
public enum TensorLayout
{
    /// <summary>Channel planes: [3, height, width] (PyTorch/ONNX convention).</summary>
    Nchw,

    /// <summary>Interleaved: [height, width, 3] (TensorFlow convention, face-api's models).</summary>
    Nhwc,
}

/// <summary>Order of the three colour channels in the tensor.</summary>
public enum ChannelOrder
{
    /// <summary>Red, green, blue.</summary>
    Rgb,

    /// <summary>Blue, green, red (Caffe/OpenCV-trained models).</summary>
    Bgr,
}

/// <summary>Element type of the tensor.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "ONNX's own element type names.")]
public enum TensorElementType
{
    /// <summary>float32, normalised as (pixel − mean) / std.</summary>
    Float32,

    /// <summary>uint8, raw 0–255 pixels (mean and std are ignored).</summary>
    [JsonStringEnumMemberName("uint8")] // config.json's word (ONNX's element name), not "u_int8"
    UInt8,
}

/// <summary>Three per-channel values named by colour (not by tensor position), e.g. ImageNet's mean.</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct ChannelValues(float R, float G, float B)
{
    /// <summary>The same value for all channels.</summary>
    public static ChannelValues All(float value) => new(value, value, value);

    /// <summary>The value of a colour: 0 = R, 1 = G, 2 = B.</summary>
    public float this[int colour] => colour switch { 0 => R, 1 => G, 2 => B, _ => throw new ArgumentOutOfRangeException(nameof(colour)) };
}

/// <summary>
/// What one model input needs (from the model's <c>config.json</c>): size, layout, channel order, element type,
/// normalisation value = (pixel − mean) / std with pixel in 0–255 (so ArcFace is mean 127.5, std 127.5; ImageNet is
/// mean (123.675, 116.28, 103.53), std (58.395, 57.12, 57.375); raw input is mean 0, std 1), and the resize filter.
/// </summary>
public sealed record TensorSpec
{
    /// <summary>Input width in pixels.</summary>
    public required int Width { get; init; }

    /// <summary>Input height in pixels.</summary>
    public required int Height { get; init; }

    /// <summary>Layout; default NCHW.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;

    /// <summary>Channel order; default RGB.</summary>
    public ChannelOrder ChannelOrder { get; init; } = ChannelOrder.Rgb;

    /// <summary>Element type; default float32.</summary>
    public TensorElementType ElementType { get; init; } = TensorElementType.Float32;

    /// <summary>Per-colour mean on the 0–255 scale; default 0.</summary>
    public ChannelValues Mean { get; init; } = ChannelValues.All(0);

    /// <summary>Per-colour standard deviation on the 0–255 scale; default 1.</summary>
    public ChannelValues Std { get; init; } = ChannelValues.All(1);

    /// <summary>Resize filter; default bilinear.</summary>
    public ResizeKind Resize { get; init; } = ResizeKind.Bilinear;

    /// <summary>Elements per image: width × height × 3.</summary>
    public int ElementCount => Width * Height * 3;

    /// <summary>Throws with the field name when the spec cannot be packed.</summary>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0)
        {
            throw new ArgumentException($"tensor size must be positive (width {Width}, height {Height})");
        }

        for (int c = 0; c < 3; c++)
        {
            if (!(Std[c] > 0) || !float.IsFinite(Std[c]) || !float.IsFinite(Mean[c]))
            {
                throw new ArgumentException($"std must be positive and mean/std finite (channel {"RGB"[c]}: mean {Mean[c]}, std {Std[c]})");
            }
        }
    }
}
