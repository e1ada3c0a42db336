namespace MatchService.Imaging.Decoding;

/// <summary>The decompression-bomb check: runs on header values, before any pixel buffer exists.</summary>
internal static class DimensionGuard
{
    public static void Check(ImageFormat format, long width, long height, ImageDecoderOptions options)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ImageDecodeException(
                ImageDecodeFailure.InvalidDimensions, $"{format} header gives an empty image ({width} × {height})", format: format);
        }

        if (width * height > options.MaxPixels)
        {
            throw new ImageDecodeException(
                ImageDecodeFailure.TooManyPixels,
                $"{format} image is {width} × {height} = {width * height} pixels; the limit is {options.MaxPixels}",
                format: format);
        }
    }
}
