using MatchService.Imaging.Geometry;
using MatchService.Imaging.Statistics;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Statistics;

public sealed class ImageStatisticsTests
{
    [Fact]
    public void Mean_luma_uses_rec601_weights_on_the_region()
    {
        // Left half pure red, right half pure green; region = the left column pair only.
        using var image = TestImages.Make(4, 2, (x, _, c) => (x < 2 && c == 0) || (x >= 2 && c == 1) ? 200 : 0);
        Assert.Equal(0.299 * 200, ImageStatistics.MeanLuma(image, new PixelBox(0, 0, 2, 2)), 6);
        Assert.Equal(0.587 * 200, ImageStatistics.MeanLuma(image, new PixelBox(2, 0, 2, 2)), 6);
        Assert.Equal(((0.299 * 200) + (0.587 * 200)) / 2, ImageStatistics.MeanLuma(image, PixelBox.Of(image)), 6);
    }

    [Fact]
    public void Mean_luma_clips_the_region_and_refuses_an_empty_one()
    {
        using var image = TestImages.Make(2, 2, (_, _, _) => 100);
        Assert.Equal(100, ImageStatistics.MeanLuma(image, new PixelBox(-5, -5, 20, 20)), 6);
        Assert.Throws<ArgumentException>(() => ImageStatistics.MeanLuma(image, new PixelBox(5, 5, 2, 2)));
    }

    [Fact]
    public void Dark_unsaturated_share_counts_black_and_charcoal_not_navy_or_grey()
    {
        var colours = new (int R, int G, int B, bool Dark)[]
        {
            (0, 0, 0, true),        // black
            (50, 48, 45, true),     // charcoal: V 0.196, S 0.1
            (20, 20, 60, false),    // navy: V 0.235, S 0.67
            (128, 128, 128, false), // grey: V 0.5
            (64, 60, 60, false),    // just above the V bound: 64 > 0.25 · 255 = 63.75
        };
        using var image = TestImages.Make(colours.Length, 1, (x, _, c) => c switch { 0 => colours[x].R, 1 => colours[x].G, _ => colours[x].B });
        Assert.Equal(colours.Count(c => c.Dark) / 5.0, ImageStatistics.DarkUnsaturatedShare(image, PixelBox.Of(image)), 6);
        var looser = new DarkPixelCriteria { MaxValue = 0.3f, MaxSaturation = 0.7f };
        Assert.Equal(4.0 / 5, ImageStatistics.DarkUnsaturatedShare(image, PixelBox.Of(image), looser), 6);
    }

    [Fact]
    public void Laplacian_variance_is_zero_on_flat_and_linear_ramps_and_grows_with_detail()
    {
        using var flat = TestImages.Make(20, 20, (_, _, _) => 90);
        using var ramp = TestImages.Make(20, 20, (x, y, _) => (5 * x) + (3 * y));
        Assert.Equal(0, ImageStatistics.LaplacianVariance(flat, PixelBox.Of(flat)), 6);
        Assert.Equal(0, ImageStatistics.LaplacianVariance(ramp, PixelBox.Of(ramp)), 3);

        // Checkerboard of 0/255 grey: every interior Laplacian is ±4·255, so the variance is (4·255)².
        using var checker = TestImages.Make(10, 10, (x, y, _) => (x + y) % 2 == 0 ? 255 : 0);
        Assert.Equal(Math.Pow(4 * 255, 2), ImageStatistics.LaplacianVariance(checker, PixelBox.Of(checker)), 0);
    }

    [Fact]
    public void Blurring_a_photo_lowers_its_sharpness()
    {
        using var photo = RgbImage.FromRgb(Samples.Small.Width, Samples.Small.Height, Samples.Small.Rgb);
        using var down = ImageResampler.Resize(photo, 40, 30, ResizeKind.Area);
        using var blurred = ImageResampler.Resize(down, 160, 120, ResizeKind.Bilinear);
        double sharp = ImageStatistics.LaplacianVariance(photo, PixelBox.Of(photo));
        double soft = ImageStatistics.LaplacianVariance(blurred, PixelBox.Of(blurred));
        Assert.True(soft < sharp / 4, $"blurred {soft:F1} vs original {sharp:F1}");
    }
}
