using MatchService.Imaging.Geometry;
using MatchService.Imaging;
using MatchService.Imaging.Statistics;
using MatchService.Matching.Evidence;

namespace MatchService.Server.Faces;

/// <summary>
/// Measures Matching's <see cref="EvidenceMeasurements"/> on the aligned face crop: the variance of the Laplacian
/// (Imaging's <see cref="ImageStatistics.LaplacianVariance"/>, reported), the standard deviation of the grey values, the
/// detail: standard deviation of what a copy scaled down to <see cref="FaceOptions.EvidenceDetailSide"/> pixels (area
/// average) and back up (bilinear) loses — the eye, nose and mouth structure of a face, which a blurred face no longer
/// has (the 4-neighbour Laplacian at full size mostly sees JPEG noise and the upsampling of small faces, and does not
/// separate them) — and the share of flat cells in a <see cref="FaceOptions.EvidenceGrid"/> × grid: a cell is flat when its own grey standard deviation
/// is below <see cref="FaceOptions.FlatCellFraction"/> of the whole crop's (relative, so a dim face is not called flat),
/// or below 1 grey level. A patch over the face (scarf, hand, mask, a grey box) is flat; skin, eyes and hair are not.
/// </summary>
internal static class FaceEvidenceMeter
{
    /// <summary>The measurements of one crop.</summary>
    public static EvidenceMeasurements Measure(RgbImage crop, int grid, double flatFraction, int detailSide)
    {
        ArgumentNullException.ThrowIfNull(crop);
        var luma = Luma(crop);
        var global = StdDev(luma, crop.Width, 0, 0, crop.Width, crop.Height);
        var laplacian = ImageStatistics.LaplacianVariance(crop, PixelBox.Of(crop));
        var side = Math.Clamp(detailSide, 1, Math.Min(crop.Width, crop.Height));
        using var small = ImageResampler.Resize(crop, side, side, ResizeKind.Area);
        using var back = ImageResampler.Resize(small, crop.Width, crop.Height, ResizeKind.Bilinear);
        var smooth = Luma(back);
        for (var i = 0; i < luma.Length; i++)
        {
            smooth[i] = luma[i] - smooth[i];
        }

        var detail = StdDev(smooth, crop.Width, 0, 0, crop.Width, crop.Height);
        return new EvidenceMeasurements(laplacian, global, detail, FlatShare(luma, crop.Width, crop.Height, grid, Math.Max(1.0, flatFraction * global)));
    }

    private static double FlatShare(float[] luma, int width, int height, int grid, double limit)
    {
        grid = Math.Clamp(grid, 1, Math.Min(width, height));
        var flat = 0;
        for (var gy = 0; gy < grid; gy++)
        {
            for (var gx = 0; gx < grid; gx++)
            {
                var (x0, x1) = (gx * width / grid, (gx + 1) * width / grid);
                var (y0, y1) = (gy * height / grid, (gy + 1) * height / grid);
                if (StdDev(luma, width, x0, y0, x1, y1) < limit)
                {
                    flat++;
                }
            }
        }

        return flat / (double)(grid * grid);
    }

    private static float[] Luma(RgbImage image)
    {
        var luma = new float[image.Width * image.Height];
        for (var y = 0; y < image.Height; y++)
        {
            var row = image.Row(y);
            for (var x = 0; x < image.Width; x++)
            {
                luma[(y * image.Width) + x] = (0.299f * row[x * 3]) + (0.587f * row[(x * 3) + 1]) + (0.114f * row[(x * 3) + 2]);
            }
        }

        return luma;
    }

    private static double StdDev(float[] luma, int width, int x0, int y0, int x1, int y1)
    {
        double sum = 0, squares = 0;
        var n = 0;
        for (var y = y0; y < y1; y++)
        {
            for (var x = x0; x < x1; x++)
            {
                double v = luma[(y * width) + x];
                sum += v;
                squares += v * v;
                n++;
            }
        }

        if (n == 0)
        {
            return 0;
        }

        var mean = sum / n;
        return Math.Sqrt(Math.Max(0, (squares / n) - (mean * mean)));
    }
}
