using System.Drawing;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.Vision;
using ServiceImage = MatchService.Imaging.RgbImage;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>
/// The service's own way from pixels to a model input: the model's config.json read by the engine's reader, turned into
/// a <see cref="TensorSpec"/> by <see cref="ModelConfig.ToTensorSpec"/>, the face-api padding as the face pipeline
/// places it (<see cref="SquareWindow"/>, black outside the image) and Imaging's <see cref="TensorPacker"/>, which
/// crops, pads, resizes and normalises in one pass, as each batch item is written in the server. Replaces the test copy
/// of the packing (<see cref="TfImageOps"/>) where the service's output matches face-api's.
/// </summary>
internal static class ServicePacking
{
    /// <summary>The recognition net's input: a crop clipped to the image, padded black to a centred square (FacePipeline.DescribeAsync).</summary>
    public static float[] CentredSquare(OnnxModel net, RgbImage image, Rectangle clippedCrop) =>
        CentredSquare(Spec(net), image, clippedCrop);

    /// <summary>The same for a model given by its packing contract (no session needed).</summary>
    public static float[] CentredSquare(TensorSpec spec, RgbImage image, Rectangle clippedCrop)
    {
        var window = SquareWindow.For(clippedCrop.Width, clippedCrop.Height, SquarePadding.Centered);
        return Pack(spec, image, window with { X = window.X + clippedCrop.X, Y = window.Y + clippedCrop.Y });
    }

    /// <summary>The detector's input: the whole photo padded black at the bottom/right to a square (FacePipeline.DetectAsync).</summary>
    public static float[] PhotoSquare(OnnxModel net, RgbImage image) =>
        Pack(Spec(net), image, SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight));

    /// <summary>Packs a window of the image (black outside it) as the server packs a batch item for <paramref name="net"/>.</summary>
    private static float[] Pack(TensorSpec spec, RgbImage image, PixelBox window)
    {
        using var pixels = ServiceImage.FromRgb(image.Width, image.Height, image.Pixels);
        var slot = new float[spec.ElementCount];
        TensorPacker.Pack(pixels, window, BorderMode.Constant, spec, slot);
        return slot;
    }

    /// <summary>The packing contract the server derives from the model's config.json.</summary>
    private static TensorSpec Spec(OnnxModel net) => net.Config.ToTensorSpec();
}
