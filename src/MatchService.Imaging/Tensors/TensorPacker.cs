using System.Numerics;
using MatchService.Imaging.Geometry;

namespace MatchService.Imaging.Tensors;

/// <summary>
/// Writes one image (or a box of it) into a caller-provided tensor slot, e.g. one item of a pooled batch buffer,
/// so the batcher does not copy again. Crop, padding, resize, channel order, layout and normalisation happen in one
/// pass with no intermediate image; values keep float precision (no rounding to 8 bits before normalising).
/// </summary>
public static class TensorPacker
{
    /// <summary>Packs the whole image, resized to the spec's size.</summary>
    public static void Pack(RgbImage image, TensorSpec spec, Span<float> slot) =>
        Pack(image, PixelBox.Of(image), BorderMode.Replicate, spec, slot);

    /// <summary>Packs a box of the image (outside parts filled per <paramref name="border"/>), resized to the spec's size.</summary>
    public static void Pack(RgbImage image, PixelBox region, BorderMode border, TensorSpec spec, Span<float> slot) =>
        Pack(image, region, border, spec, slot, Vector.IsHardwareAccelerated);

    /// <summary>Packs a box into a uint8 slot (raw pixels).</summary>
    public static void Pack(RgbImage image, PixelBox region, BorderMode border, TensorSpec spec, Span<byte> slot)
    {
        Check(spec, slot.Length, TensorElementType.UInt8);
        var sink = new ByteTensorSink(slot, spec.Width, spec.Height);
        Resampler.Run(image, region, spec.Width, spec.Height, spec.Resize, border,
            spec.ChannelOrder == ChannelOrder.Bgr, spec.Layout == TensorLayout.Nchw, vectorize: true, ref sink);
    }

    /// <summary>Packs the whole image into a uint8 slot.</summary>
    public static void Pack(RgbImage image, TensorSpec spec, Span<byte> slot) =>
        Pack(image, PixelBox.Of(image), BorderMode.Replicate, spec, slot);

    /// <summary>The float path with the vector kernels switched on or off (tests compare the two).</summary>
    internal static void Pack(RgbImage image, PixelBox region, BorderMode border, TensorSpec spec, Span<float> slot, bool vectorize)
    {
        Check(spec, slot.Length, TensorElementType.Float32);
        bool bgr = spec.ChannelOrder == ChannelOrder.Bgr;
        Span<float> scale = stackalloc float[3];
        Span<float> bias = stackalloc float[3];
        for (int position = 0; position < 3; position++)
        {
            int colour = bgr ? 2 - position : position;
            scale[position] = 1f / spec.Std[colour];
            bias[position] = -spec.Mean[colour] / spec.Std[colour];
        }

        var sink = new FloatTensorSink(slot, spec.Width, spec.Height, scale, bias, vectorize);
        Resampler.Run(image, region, spec.Width, spec.Height, spec.Resize, border, bgr, spec.Layout == TensorLayout.Nchw, vectorize, ref sink);
    }

    private static void Check(TensorSpec spec, int slotLength, TensorElementType type)
    {
        spec.Validate();
        if (spec.ElementType != type)
        {
            throw new ArgumentException($"the spec's element type is {spec.ElementType}, but a {type} slot was given");
        }

        if (slotLength != spec.ElementCount)
        {
            throw new ArgumentException($"slot holds {slotLength} elements; {spec.Width} × {spec.Height} × 3 = {spec.ElementCount} are needed");
        }
    }
}
