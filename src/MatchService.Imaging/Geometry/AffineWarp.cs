namespace MatchService.Imaging.Geometry;

/// <summary>Resamples an image through a similarity transform (bilinear, like OpenCV's warpAffine).</summary>
public static class AffineWarp
{
    /// <summary>
    /// Output pixel (x, y) takes the source value at <paramref name="sourceToOutput"/>⁻¹(x, y), bilinearly
    /// interpolated; positions outside the source follow <paramref name="border"/>.
    /// </summary>
    public static RgbImage Warp(RgbImage source, SimilarityTransform sourceToOutput, int width, int height, BorderMode border = BorderMode.Constant)
    {
        var inverse = sourceToOutput.Inverse();
        var result = RgbImage.Rent(width, height);
        var src = source.Pixels;
        int sw = source.Width, sh = source.Height, stride = source.Stride;
        for (int y = 0; y < height; y++)
        {
            var row = result.Row(y);
            for (int x = 0; x < width; x++)
            {
                double sx = (inverse.A * x) - (inverse.B * y) + inverse.Tx;
                double sy = (inverse.B * x) + (inverse.A * y) + inverse.Ty;
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                float fx = (float)(sx - x0), fy = (float)(sy - y0);
                for (int c = 0; c < 3; c++)
                {
                    float top = Lerp(Sample(src, stride, sw, sh, x0, y0, c, border), Sample(src, stride, sw, sh, x0 + 1, y0, c, border), fx);
                    float bottom = Lerp(Sample(src, stride, sw, sh, x0, y0 + 1, c, border), Sample(src, stride, sw, sh, x0 + 1, y0 + 1, c, border), fx);
                    float v = Lerp(top, bottom, fy) + 0.5f;
                    row[(x * 3) + c] = v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(int)v;
                }
            }
        }

        return result;
    }

    private static float Lerp(float a, float b, float t) => a + ((b - a) * t);

    private static float Sample(ReadOnlySpan<byte> src, int stride, int w, int h, int x, int y, int c, BorderMode border)
    {
        if ((uint)x >= (uint)w || (uint)y >= (uint)h)
        {
            if (border == BorderMode.Constant)
            {
                return 0;
            }

            x = Math.Clamp(x, 0, w - 1);
            y = Math.Clamp(y, 0, h - 1);
        }

        return src[(y * stride) + (x * 3) + c];
    }
}
