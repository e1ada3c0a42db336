using MatchService.Imaging.Geometry;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>The reference's pixel operations on float HWC RGB buffers: square padding and TensorFlow's legacy bilinear.</summary>
internal static class TfImageOps
{
    /// <summary>
    /// Pads <paramref name="src"/> (w × h) with black to the square <paramref name="window"/> (the image's square window,
    /// reaching outside it where the padding goes) and resizes it to size × size with TensorFlow's resizeBilinear (alignCorners false, halfPixelCenters false: src = dst × in / out).
    /// </summary>
    public static float[] PadAndResize(float[] src, int w, int h, PixelBox window, int size)
    {
        var dst = new float[size * size * 3];
        var scale = window.Width / (float)size;
        for (var y = 0; y < size; y++)
        {
            var sy = y * scale;
            var y0 = (int)MathF.Floor(sy);
            var y1 = Math.Min(y0 + 1, window.Width - 1);
            var dy = sy - y0;
            for (var x = 0; x < size; x++)
            {
                var sx = x * scale;
                var x0 = (int)MathF.Floor(sx);
                var x1 = Math.Min(x0 + 1, window.Width - 1);
                var dx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var tl = At(src, w, h, window, x0, y0, c);
                    var tr = At(src, w, h, window, x1, y0, c);
                    var bl = At(src, w, h, window, x0, y1, c);
                    var br = At(src, w, h, window, x1, y1, c);
                    var top = tl + ((tr - tl) * dx);
                    var bottom = bl + ((br - bl) * dx);
                    dst[(((y * size) + x) * 3) + c] = top + ((bottom - top) * dy);
                }
            }
        }
        return dst;
    }

    /// <summary>A whole image rescaled with legacy bilinear and rounded back to bytes.</summary>
    public static RgbImage Rescale(RgbImage image, int width, int height)
    {
        var src = image.ToFloats();
        var px = new byte[width * height * 3];
        var sxScale = image.Width / (float)width;
        var syScale = image.Height / (float)height;
        for (var y = 0; y < height; y++)
        {
            var sy = y * syScale;
            var y0 = (int)sy;
            var y1 = Math.Min(y0 + 1, image.Height - 1);
            var dy = sy - y0;
            for (var x = 0; x < width; x++)
            {
                var sx = x * sxScale;
                var x0 = (int)sx;
                var x1 = Math.Min(x0 + 1, image.Width - 1);
                var dx = sx - x0;
                for (var c = 0; c < 3; c++)
                {
                    float At(int xx, int yy) => src[(((yy * image.Width) + xx) * 3) + c];
                    var top = At(x0, y0) + ((At(x1, y0) - At(x0, y0)) * dx);
                    var bottom = At(x0, y1) + ((At(x1, y1) - At(x0, y1)) * dx);
                    px[(((y * width) + x) * 3) + c] = (byte)Math.Clamp(MathF.Round(top + ((bottom - top) * dy)), 0, 255);
                }
            }
        }
        return new RgbImage(width, height, px);
    }

    /// <summary>(v − mean) / std per channel, in place.</summary>
    public static float[] Normalise(float[] hwc, IReadOnlyList<float> mean, IReadOnlyList<float> std)
    {
        for (var i = 0; i < hwc.Length; i++)
        {
            hwc[i] = (float)((hwc[i] - (double)mean[i % 3]) / std[i % 3]);
        }
        return hwc;
    }

    private static float At(float[] src, int w, int h, PixelBox window, int x, int y, int c)
    {
        var ix = x + window.X;
        var iy = y + window.Y;
        return ix < 0 || iy < 0 || ix >= w || iy >= h ? 0f : src[(((iy * w) + ix) * 3) + c];
    }
}
