using System.Buffers;

namespace MatchService.Imaging.Geometry;

/// <summary>
/// For one axis: which source pixels (and weights) make each output pixel. Built once per resize, so the
/// inner loops only multiply and add. Taps that fall outside the image are either clamped (replicate) or
/// dropped, which makes them contribute black (constant).
/// </summary>
internal readonly struct AxisTaps : IDisposable
{
    private readonly int[] _first;   // per output: index of its first tap
    private readonly int[] _count;   // per output: number of taps
    private readonly int[] _index;   // source pixel of each tap
    private readonly float[] _weight;

    private AxisTaps(int[] first, int[] count, int[] index, float[] weight, int min, int max)
    {
        _first = first;
        _count = count;
        _index = index;
        _weight = weight;
        MinIndex = min;
        MaxIndex = max;
    }

    /// <summary>Smallest source index referenced (int.MaxValue when none).</summary>
    public int MinIndex { get; }

    /// <summary>Largest source index referenced (−1 when none).</summary>
    public int MaxIndex { get; }

    public ReadOnlySpan<int> Indices(int output) => _index.AsSpan(_first[output], _count[output]);

    public ReadOnlySpan<float> Weights(int output) => _weight.AsSpan(_first[output], _count[output]);

    /// <param name="start">First pixel of the window (crop box) on this axis, in image coordinates.</param>
    /// <param name="length">Window length in pixels.</param>
    /// <param name="outLength">Output length in pixels.</param>
    /// <param name="extent">Image size on this axis.</param>
    /// <param name="kind">Filter.</param>
    /// <param name="border">Fill rule outside the image.</param>
    public static AxisTaps Build(int start, int length, int outLength, int extent, ResizeKind kind, BorderMode border)
    {
        double scale = (double)length / outLength;
        int perOutput = kind == ResizeKind.Area ? (int)Math.Ceiling(scale) + 2 : 2;
        var first = ArrayPool<int>.Shared.Rent(outLength);
        var count = ArrayPool<int>.Shared.Rent(outLength);
        var index = ArrayPool<int>.Shared.Rent(outLength * perOutput);
        var weight = ArrayPool<float>.Shared.Rent(outLength * perOutput);
        int n = 0, min = int.MaxValue, max = -1;

        void Add(int c, double w)
        {
            int x = start + c;
            if (x < 0 || x >= extent)
            {
                if (border == BorderMode.Constant)
                {
                    return; // black contributes nothing
                }

                x = Math.Clamp(x, 0, extent - 1);
            }

            index[n] = x;
            weight[n] = (float)w;
            n++;
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        for (int i = 0; i < outLength; i++)
        {
            first[i] = n;
            if (kind == ResizeKind.Area)
            {
                double a = i * scale, b = (i + 1) * scale;
                int j0 = (int)Math.Floor(a), j1 = Math.Min((int)Math.Ceiling(b), length);
                for (int j = j0; j < j1; j++)
                {
                    double overlap = Math.Min(b, j + 1) - Math.Max(a, j);
                    if (overlap > 1e-9)
                    {
                        Add(j, overlap / scale);
                    }
                }
            }
            else
            {
                double src = ((i + 0.5) * scale) - 0.5;
                src = Math.Clamp(src, 0, length - 1);
                int x0 = (int)Math.Floor(src);
                int x1 = Math.Min(x0 + 1, length - 1);
                double f = src - x0;
                if (x1 == x0 || f == 0)
                {
                    Add(x0, 1.0);
                }
                else
                {
                    Add(x0, 1.0 - f);
                    Add(x1, f);
                }
            }

            count[i] = n - first[i];
        }

        return new AxisTaps(first, count, index, weight, min, max);
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_first);
        ArrayPool<int>.Shared.Return(_count);
        ArrayPool<int>.Shared.Return(_index);
        ArrayPool<float>.Shared.Return(_weight);
    }
}
