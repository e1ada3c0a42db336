using MatchService.Imaging.Geometry;

namespace MatchService.Imaging.Statistics;

/// <summary>
/// Thresholds for "dark, unsaturated" pixels (black clothing). With V = max(R, G, B) / 255 and HSV saturation
/// S = (max − min) / max (0 for black), a pixel counts when V ≤ <see cref="MaxValue"/> and S ≤ <see cref="MaxSaturation"/>.
/// </summary>
public sealed record DarkPixelCriteria
{
    /// <summary>Brightest value V (0–1) still called dark. Default 0.25 (≈ 64 of 255).</summary>
    public float MaxValue { get; init; } = 0.25f;

    /// <summary>Most saturation S (0–1) still called unsaturated. Default 0.35 (navy and dark red are saturated; black and charcoal are not).</summary>
    public float MaxSaturation { get; init; } = 0.35f;
}

/// <summary>Region statistics used by the matching methods. Regions are clipped to the image; an empty region throws.</summary>
public static class ImageStatistics
{
    /// <summary>
    /// Mean Rec. 601 luma Y = 0.299 R + 0.587 G + 0.114 B over the region, on the 0–255 scale
    /// (divide by 255 for a fraction of full scale, as the L_min threshold is stated).
    /// </summary>
    public static double MeanLuma(RgbImage image, PixelBox region)
    {
        var box = Clip(image, region);
        double sum = 0;
        for (int y = box.Y; y < box.Y + box.Height; y++)
        {
            var row = image.Row(y);
            long r = 0, g = 0, b = 0;
            for (int x = box.X; x < box.X + box.Width; x++)
            {
                r += row[x * 3];
                g += row[(x * 3) + 1];
                b += row[(x * 3) + 2];
            }

            sum += (0.299 * r) + (0.587 * g) + (0.114 * b);
        }

        return sum / ((long)box.Width * box.Height);
    }

    /// <summary>Share (0–1) of the region's pixels that are dark and unsaturated per <paramref name="criteria"/>.</summary>
    public static double DarkUnsaturatedShare(RgbImage image, PixelBox region, DarkPixelCriteria? criteria = null)
    {
        criteria ??= new DarkPixelCriteria();
        var box = Clip(image, region);
        // Integer form of V ≤ maxV and (max − min) ≤ maxS · max, exact on 8-bit values.
        float maxV = criteria.MaxValue * 255f;
        float maxS = criteria.MaxSaturation;
        long count = 0;
        for (int y = box.Y; y < box.Y + box.Height; y++)
        {
            var row = image.Row(y);
            for (int x = box.X; x < box.X + box.Width; x++)
            {
                int r = row[x * 3], g = row[(x * 3) + 1], b = row[(x * 3) + 2];
                int max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
                if (max <= maxV && (max == 0 || max - min <= maxS * max))
                {
                    count++;
                }
            }
        }

        return (double)count / ((long)box.Width * box.Height);
    }

    /// <summary>
    /// Sharpness: variance of the 4-neighbour Laplacian (0 1 0 / 1 −4 1 / 0 1 0) of Rec. 601 luma (0–255) over the
    /// region's interior pixels (those with all four neighbours inside the region). Higher is sharper; a flat or
    /// smoothly shaded region gives 0. Regions smaller than 3 × 3 give 0.
    /// </summary>
    public static double LaplacianVariance(RgbImage image, PixelBox region)
    {
        var box = Clip(image, region);
        if (box.Width < 3 || box.Height < 3)
        {
            return 0;
        }

        int w = box.Width;
        var previous = new float[w];
        var current = new float[w];
        var next = new float[w];
        LumaRow(image, box, 0, previous);
        LumaRow(image, box, 1, current);
        double sum = 0, sumSquares = 0;
        long n = 0;
        for (int y = 1; y < box.Height - 1; y++)
        {
            LumaRow(image, box, y + 1, next);
            for (int x = 1; x < w - 1; x++)
            {
                double lap = previous[x] + next[x] + current[x - 1] + current[x + 1] - (4 * current[x]);
                sum += lap;
                sumSquares += lap * lap;
                n++;
            }

            (previous, current, next) = (current, next, previous);
        }

        double mean = sum / n;
        return Math.Max(0, (sumSquares / n) - (mean * mean));
    }

    private static void LumaRow(RgbImage image, PixelBox box, int y, float[] luma)
    {
        var row = image.Row(box.Y + y);
        for (int x = 0; x < box.Width; x++)
        {
            int s = (box.X + x) * 3;
            luma[x] = (0.299f * row[s]) + (0.587f * row[s + 1]) + (0.114f * row[s + 2]);
        }
    }

    private static PixelBox Clip(RgbImage image, PixelBox region)
    {
        var box = region.ClipTo(image.Width, image.Height);
        return box.IsEmpty
            ? throw new ArgumentException($"region {region} does not overlap the {image.Width} × {image.Height} image", nameof(region))
            : box;
    }
}
