using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Geometry;

public sealed class CropAndPadTests
{
    // 4 × 3 image; red = 10·x + 1, green = 10·y + 1, blue = 200.
    private static RgbImage Grid() => TestImages.Make(4, 3, (x, y, c) => c switch { 0 => (10 * x) + 1, 1 => (10 * y) + 1, _ => 200 });

    [Fact]
    public void Crop_inside_copies_pixels()
    {
        using var image = Grid();
        using var crop = ImageResampler.Crop(image, new PixelBox(1, 1, 2, 2));
        Assert.Equal([11, 11, 200, 21, 11, 200, 11, 21, 200, 21, 21, 200], crop.Pixels.ToArray());
    }

    [Fact]
    public void Crop_leaving_the_image_fills_black_with_constant_border()
    {
        using var image = Grid();
        using var crop = ImageResampler.Crop(image, new PixelBox(-1, 2, 3, 2), BorderMode.Constant);
        // Row 0 = image row 2 (x = −1, 0, 1); row 1 is below the image.
        Assert.Equal([0, 0, 0, 1, 21, 200, 11, 21, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0], crop.Pixels.ToArray());
    }

    [Fact]
    public void Crop_leaving_the_image_repeats_edges_with_replicate_border()
    {
        using var image = Grid();
        using var crop = ImageResampler.Crop(image, new PixelBox(3, -1, 2, 2), BorderMode.Replicate);
        Assert.Equal([31, 1, 200, 31, 1, 200, 31, 1, 200, 31, 1, 200], crop.Pixels.ToArray());
    }

    [Fact]
    public void Crop_entirely_outside_is_all_black()
    {
        using var image = Grid();
        using var crop = ImageResampler.Crop(image, new PixelBox(10, 10, 3, 3));
        Assert.All(crop.Pixels.ToArray(), v => Assert.Equal(0, v));
    }
}
