using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Geometry;

public sealed class ResizeTests
{
    private static RgbImage Row(params int[] values) => TestImages.Make(values.Length, 1, (x, _, _) => values[x]);

    private static int[] Red(RgbImage image) => Enumerable.Range(0, image.Width).Select(x => (int)TestImages.At(image, x, 0, 0)).ToArray();

    [Theory]
    [InlineData(ResizeKind.Bilinear, new[] { 50, 228 })]      // src = 0.5, 2.5
    [InlineData(ResizeKind.Area, new[] { 50, 228 })]          // means of pairs: 50, 227.5
    public void Halving_four_pixels(ResizeKind kind, int[] expected)
    {
        using var image = Row(0, 100, 200, 255);
        using var resized = ImageResampler.Resize(image, 2, 1, kind);
        Assert.Equal(expected, Red(resized));
    }

    [Theory]
    [InlineData(ResizeKind.Bilinear, new[] { 0, 25, 75, 100 })]       // src = −0.25→0, 0.25, 0.75, 1.25→1
    [InlineData(ResizeKind.Area, new[] { 0, 0, 100, 100 })]            // footprints of half a pixel
    public void Doubling_two_pixels(ResizeKind kind, int[] expected)
    {
        using var image = Row(0, 100);
        using var resized = ImageResampler.Resize(image, 4, 1, kind);
        Assert.Equal(expected, Red(resized));
    }

    [Fact]
    public void Area_by_a_third_weights_partial_pixels()
    {
        // 3 → 2: footprints [0, 1.5) and [1.5, 3): (0 + 0.5·90)/1.5 = 30, (0.5·90 + 180)/1.5 = 150.
        using var image = Row(0, 90, 180);
        using var resized = ImageResampler.Resize(image, 2, 1, ResizeKind.Area);
        Assert.Equal([30, 150], Red(resized));
    }

    [Fact]
    public void Two_dimensional_bilinear_equals_direct_interpolation()
    {
        using var image = TestImages.Random(13, 9, seed: 5);
        using var resized = ImageResampler.Resize(image, 7, 11, ResizeKind.Bilinear);
        for (int y = 0; y < 11; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    double expected = DirectBilinear(image, x, y, c, 13.0 / 7, 9.0 / 11);
                    Assert.Equal(Math.Round(expected, MidpointRounding.AwayFromZero), TestImages.At(resized, x, y, c), 0.51);
                }
            }
        }
    }

    [Fact]
    public void Crop_resize_equals_crop_then_resize()
    {
        using var image = TestImages.Random(40, 30, seed: 9);
        var box = new PixelBox(-5, 20, 30, 16); // leaves the image on the left and bottom
        using var fused = ImageResampler.CropResize(image, box, 12, 7, ResizeKind.Bilinear, BorderMode.Constant);
        using var crop = ImageResampler.Crop(image, box, BorderMode.Constant);
        using var twoStep = ImageResampler.Resize(crop, 12, 7, ResizeKind.Bilinear);
        PixelAssert.Close(twoStep.Pixels, fused.Pixels, maxAbsDiff: 1);
    }

    [Fact]
    public void Same_size_resize_is_a_copy()
    {
        using var image = TestImages.Random(17, 5, seed: 2);
        foreach (var kind in Enum.GetValues<ResizeKind>())
        {
            using var copy = ImageResampler.Resize(image, 17, 5, kind);
            Assert.Equal(image.Pixels.ToArray(), copy.Pixels.ToArray());
        }
    }

    private static double DirectBilinear(RgbImage image, int x, int y, int c, double sx, double sy)
    {
        double fx = Math.Clamp(((x + 0.5) * sx) - 0.5, 0, image.Width - 1);
        double fy = Math.Clamp(((y + 0.5) * sy) - 0.5, 0, image.Height - 1);
        int x0 = (int)fx, y0 = (int)fy;
        int x1 = Math.Min(x0 + 1, image.Width - 1), y1 = Math.Min(y0 + 1, image.Height - 1);
        double ax = fx - x0, ay = fy - y0;
        double top = (TestImages.At(image, x0, y0, c) * (1 - ax)) + (TestImages.At(image, x1, y0, c) * ax);
        double bottom = (TestImages.At(image, x0, y1, c) * (1 - ax)) + (TestImages.At(image, x1, y1, c) * ax);
        return (top * (1 - ay)) + (bottom * ay);
    }
}
