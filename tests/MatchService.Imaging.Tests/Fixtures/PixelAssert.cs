namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Compares decoded pixels with a reference decoder's output within a stated tolerance.</summary>
internal static class PixelAssert
{
    public static void Close(Pnm expected, RgbImage actual, int maxAbsDiff, double maxMeanAbsDiff = double.MaxValue)
    {
        Assert.Equal(expected.Width, actual.Width);
        Assert.Equal(expected.Height, actual.Height);
        Close(expected.Rgb, actual.Pixels, maxAbsDiff, maxMeanAbsDiff);
    }

    public static void Close(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, int maxAbsDiff, double maxMeanAbsDiff = double.MaxValue)
    {
        Assert.Equal(expected.Length, actual.Length);
        int worst = 0;
        long sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = Math.Abs(expected[i] - actual[i]);
            worst = Math.Max(worst, d);
            sum += d;
        }

        double mean = (double)sum / expected.Length;
        Assert.True(worst <= maxAbsDiff, $"largest difference {worst} exceeds {maxAbsDiff} (mean {mean:F3})");
        Assert.True(mean <= maxMeanAbsDiff, $"mean difference {mean:F3} exceeds {maxMeanAbsDiff} (largest {worst})");
    }
}
