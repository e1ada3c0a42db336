namespace MatchService.Imaging.Decoding;

/// <summary>Turns stored pixels upright according to an EXIF orientation.</summary>
internal static class OrientationTransform
{
    /// <summary>Returns the upright image; the source is disposed when a new one is made.</summary>
    public static RgbImage Apply(RgbImage source, ExifOrientation orientation)
    {
        if (orientation == ExifOrientation.Normal)
        {
            return source;
        }

        int w = source.Width, h = source.Height;
        bool swap = orientation.SwapsAxes();
        int ow = swap ? h : w, oh = swap ? w : h;
        var result = RgbImage.Rent(ow, oh);
        var src = source.Pixels;
        var dst = result.Pixels;
        int srcStride = source.Stride;
        for (int y = 0; y < oh; y++)
        {
            var row = dst.Slice(y * result.Stride, result.Stride);
            for (int x = 0; x < ow; x++)
            {
                // (sx, sy): the stored pixel that is shown at upright position (x, y).
                (int sx, int sy) = orientation switch
                {
                    ExifOrientation.FlipHorizontal => (w - 1 - x, y),
                    ExifOrientation.Rotate180 => (w - 1 - x, h - 1 - y),
                    ExifOrientation.FlipVertical => (x, h - 1 - y),
                    ExifOrientation.Transpose => (y, x),
                    ExifOrientation.Rotate90 => (y, h - 1 - x),
                    ExifOrientation.Transverse => (w - 1 - y, h - 1 - x),
                    ExifOrientation.Rotate270 => (w - 1 - y, x),
                    _ => (x, y),
                };
                int s = (sy * srcStride) + (sx * 3);
                row[x * 3] = src[s];
                row[(x * 3) + 1] = src[s + 1];
                row[(x * 3) + 2] = src[s + 2];
            }
        }

        source.Dispose();
        return result;
    }
}
