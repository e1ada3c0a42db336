using MatchService.Imaging.Memory;
using System.Buffers;

namespace MatchService.Imaging.Geometry;

/// <summary>Receives finished output rows (float, 0–255 scale, channels already in output order).</summary>
internal interface IRowSink
{
    /// <summary>
    /// Row <paramref name="y"/>: interleaved (plane = −1, length width × 3) or one channel plane (plane 0–2, length width).
    /// </summary>
    void Write(int y, int plane, ReadOnlySpan<float> row);
}

/// <summary>
/// Separable crop + resize in one pass over the source: a horizontal pass over only the source rows the
/// output needs (into a pooled float buffer, interleaved or planar, channels reordered), then a vertical
/// pass per output row handed to a sink (bytes, or a normalised tensor slot). Crop, pad, resize, BGR swap and
/// NCHW/NHWC layout therefore cost one traversal and no intermediate image.
/// </summary>
internal static class Resampler
{
    public static void Run<TSink>(
        RgbImage source, PixelBox window, int outWidth, int outHeight, ResizeKind kind, BorderMode border,
        bool bgr, bool planar, bool vectorize, ref TSink sink)
        where TSink : IRowSink, allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window.Width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window.Height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);

        using var xTaps = AxisTaps.Build(window.X, window.Width, outWidth, source.Width, kind, border);
        using var yTaps = AxisTaps.Build(window.Y, window.Height, outHeight, source.Height, kind, border);
        int rowMin = yTaps.MinIndex, rows = Math.Max(0, yTaps.MaxIndex - rowMin + 1);
        int rowLength = outWidth * 3;
        float[] temp = ImageArrayPools.Floats.Rent(Math.Max(1, rows * rowLength));
        float[] line = ArrayPool<float>.Shared.Rent(rowLength);
        try
        {
            HorizontalPass(source, xTaps, rowMin, rows, outWidth, bgr, planar, temp);
            for (int y = 0; y < outHeight; y++)
            {
                var indices = yTaps.Indices(y);
                var weights = yTaps.Weights(y);
                if (planar)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        var output = line.AsSpan(0, outWidth);
                        Blend(temp, (c * rows * outWidth) - (rowMin * outWidth), outWidth, indices, weights, output, vectorize);
                        sink.Write(y, c, output);
                    }
                }
                else
                {
                    var output = line.AsSpan(0, rowLength);
                    Blend(temp, -rowMin * rowLength, rowLength, indices, weights, output, vectorize);
                    sink.Write(y, -1, output);
                }
            }
        }
        finally
        {
            ImageArrayPools.Floats.Return(temp);
            ArrayPool<float>.Shared.Return(line);
        }
    }

    private static void HorizontalPass(
        RgbImage source, in AxisTaps xTaps, int rowMin, int rows, int outWidth, bool bgr, bool planar, float[] temp)
    {
        var pixels = source.Pixels;
        int stride = source.Stride;
        int r = bgr ? 2 : 0, b = bgr ? 0 : 2;
        for (int row = 0; row < rows; row++)
        {
            var src = pixels.Slice((rowMin + row) * stride, stride);
            for (int x = 0; x < outWidth; x++)
            {
                var indices = xTaps.Indices(x);
                var weights = xTaps.Weights(x);
                float c0 = 0, c1 = 0, c2 = 0;
                for (int t = 0; t < indices.Length; t++)
                {
                    int s = indices[t] * 3;
                    float w = weights[t];
                    c0 += src[s] * w;
                    c1 += src[s + 1] * w;
                    c2 += src[s + 2] * w;
                }

                if (planar)
                {
                    int plane = rows * outWidth, at = (row * outWidth) + x;
                    temp[(r * plane) + at] = c0;
                    temp[plane + at] = c1;
                    temp[(b * plane) + at] = c2;
                }
                else
                {
                    int at = (row * outWidth * 3) + (x * 3);
                    temp[at + r] = c0;
                    temp[at + 1] = c1;
                    temp[at + b] = c2;
                }
            }
        }
    }

    /// <summary>output = Σ weight · temp row; source row i of the block starts at offset + i · length.</summary>
    private static void Blend(
        float[] temp, int offset, int length, ReadOnlySpan<int> indices, ReadOnlySpan<float> weights, Span<float> output, bool vectorize)
    {
        if (indices.IsEmpty)
        {
            output.Clear(); // every tap fell on constant (black) padding
            return;
        }

        for (int t = 0; t < indices.Length; t++)
        {
            RowKernels.Accumulate(temp.AsSpan(offset + (indices[t] * length), length), weights[t], output, t == 0, vectorize);
        }
    }
}
