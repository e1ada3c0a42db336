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

    [Fact]
    public void Pad_to_square_bottom_right_puts_all_padding_after_the_image()
    {
        using var image = TestImages.Make(5, 2, (x, y, c) => 100 + x + (10 * y));
        using var square = ImageResampler.PadToSquare(image, SquarePadding.BottomRight);
        Assert.Equal(5, square.Width);
        Assert.Equal(5, square.Height);
        Assert.Equal(104, TestImages.At(square, 4, 0, 0));
        Assert.Equal(110, TestImages.At(square, 0, 1, 0));
        for (int y = 2; y < 5; y++)
        {
            Assert.All(square.Row(y).ToArray(), v => Assert.Equal(0, v));
        }
    }

    [Theory]
    [InlineData(5, 2, 1)] // diff 3: after = round(1.5) = 2 (JS rounds .5 up), before = 1
    [InlineData(6, 2, 2)] // diff 4: 2 after, 2 before
    [InlineData(2, 7, 2)] // tall: diff 5, after = round(2.5) = 3 columns right, 2 left
    public void Pad_to_square_centered_splits_like_face_api(int width, int height, int before)
    {
        using var image = TestImages.Make(width, height, (_, _, _) => 255);
        using var square = ImageResampler.PadToSquare(image, SquarePadding.Centered);
        int side = Math.Max(width, height);
        Assert.Equal(side, square.Width);
        Assert.Equal(side, square.Height);
        for (int i = 0; i < side; i++)
        {
            bool inside = i >= before && i < before + Math.Min(width, height);
            var probe = width >= height ? TestImages.At(square, 0, i, 0) : TestImages.At(square, i, 0, 0);
            Assert.Equal(inside ? 255 : 0, probe);
        }
    }
}
