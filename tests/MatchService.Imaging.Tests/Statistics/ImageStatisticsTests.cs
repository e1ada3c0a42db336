using MatchService.Imaging.Geometry;
using MatchService.Imaging.Statistics;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Statistics;

public sealed class ImageStatisticsTests
{
    [Fact]
    public void Regions_are_clipped_to_the_image_and_an_empty_one_is_refused()
    {
        using var checker = TestImages.Make(6, 6, (x, y, _) => ((x + y) % 2) * 255);
        Assert.Equal(ImageStatistics.LaplacianVariance(checker, PixelBox.Of(checker)),
            ImageStatistics.LaplacianVariance(checker, new PixelBox(-5, -5, 20, 20)), 6);
        Assert.Throws<ArgumentException>(() => ImageStatistics.LaplacianVariance(checker, new PixelBox(8, 8, 2, 2)));
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
