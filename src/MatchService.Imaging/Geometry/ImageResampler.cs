namespace MatchService.Imaging.Geometry;

/// <summary>Crop and resize of <see cref="RgbImage"/>s; every result is a new pooled image.</summary>
public static class ImageResampler
{
    /// <summary>Resizes the whole image.</summary>
    public static RgbImage Resize(RgbImage source, int width, int height, ResizeKind kind = ResizeKind.Bilinear) =>
        CropResize(source, PixelBox.Of(source), width, height, kind, BorderMode.Replicate);

    /// <summary>Copies a box; where it leaves the image the <paramref name="border"/> rule fills it.</summary>
    public static RgbImage Crop(RgbImage source, PixelBox box, BorderMode border = BorderMode.Constant) =>
        CropResize(source, box, box.Width, box.Height, ResizeKind.Area, border);

    /// <summary>Crops a box (padding outside the image per <paramref name="border"/>) and resizes it, in one pass.</summary>
    public static RgbImage CropResize(
        RgbImage source, PixelBox box, int width, int height, ResizeKind kind = ResizeKind.Bilinear, BorderMode border = BorderMode.Constant)
    {
        var result = RgbImage.Rent(width, height);
        try
        {
            var sink = new ByteImageSink(result);
            Resampler.Run(source, box, width, height, kind, border, bgr: false, planar: false, vectorize: true, ref sink);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }
}
