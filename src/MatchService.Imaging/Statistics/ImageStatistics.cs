using MatchService.Imaging.Geometry;

namespace MatchService.Imaging.Statistics;

/// <summary>Region statistics (the face evidence's sharpness). Regions are clipped to the image; an empty region throws.</summary>
public static class ImageStatistics
{
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
