namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Real encoders producing PNG and WebP fixtures from netpbm input.</summary>
internal static class Encoders
{
    public static byte[] Png(byte[] pnm, string options = "") => Tools.Run("pnmtopng", options, pnm);

    /// <summary>An RGBA PNG: colour from <paramref name="ppm"/>, alpha from a P5 mask.</summary>
    public static byte[] PngWithAlpha(byte[] ppm, byte[] alphaPgm)
    {
        string dir = Directory.CreateTempSubdirectory("imaging-alpha-").FullName;
        try
        {
            string alphaPath = Path.Combine(dir, "alpha.pgm");
            File.WriteAllBytes(alphaPath, alphaPgm);
            return Tools.Run("pnmtopng", $"-alpha=\"{alphaPath}\"", ppm);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static byte[] Webp(byte[] input, string inputExtension, string options) =>
        Tools.RunWithFiles("cwebp", (i, o) => $"-quiet {options} \"{i}\" -o \"{o}\"", input, inputExtension);

    public static byte[] Crush(byte[] png) =>
        Tools.RunWithFiles("pngcrush", (i, o) => $"-q -reduce \"{i}\" \"{o}\"", png, ".png");

    /// <summary>A diagonal alpha ramp, 0 at the top-left to 255 at the bottom-right.</summary>
    public static byte[] AlphaRamp(int width, int height)
    {
        var alpha = new byte[width * height];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                alpha[(y * width) + x] = (byte)(255 * (x + y) / (width + height - 2));
            }
        }

        return alpha;
    }

    /// <summary>The documented alpha policy, computed independently: round(c · a / 255).</summary>
    public static byte[] CompositeOnBlack(byte[] rgb, byte[] alpha)
    {
        var result = new byte[rgb.Length];
        for (int i = 0; i < rgb.Length; i++)
        {
            result[i] = (byte)Math.Round(rgb[i] * alpha[i / 3] / 255.0, MidpointRounding.AwayFromZero);
        }

        return result;
    }
}
