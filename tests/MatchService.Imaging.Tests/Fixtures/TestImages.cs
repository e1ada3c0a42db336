namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Small synthetic images with known pixel values.</summary>
internal static class TestImages
{
    /// <summary>An image whose pixel (x, y) is (f(x, y, 0), f(x, y, 1), f(x, y, 2)).</summary>
    public static RgbImage Make(int width, int height, Func<int, int, int, int> f)
    {
        var image = RgbImage.Rent(width, height);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    image.Pixels[(y * width * 3) + (x * 3) + c] = (byte)f(x, y, c);
                }
            }
        }

        return image;
    }

    /// <summary>Deterministic noise.</summary>
    public static RgbImage Random(int width, int height, int seed)
    {
        var random = new Random(seed);
        return Make(width, height, (_, _, _) => random.Next(256));
    }

    public static byte At(RgbImage image, int x, int y, int c) => image.Pixels[(y * image.Stride) + (x * 3) + c];
}
