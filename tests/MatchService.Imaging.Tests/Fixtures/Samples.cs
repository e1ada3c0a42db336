namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Real photos (face-api's demo JPEGs) and images derived from them with the reference tools.</summary>
internal static class Samples
{
    private static readonly Lazy<Pnm> SmallPhoto = new(() => MakeSmall(1, 160, 120));

    public static string Path(int n) => System.IO.Path.Combine(
        MatchService.Testing.RepositoryRoot.Path, ".cache", "npm", "face-api-1.7.15", "package", "demo", $"sample{n}.jpg");

    public static byte[] Jpeg(int n) => File.ReadAllBytes(Path(n));

    /// <summary>A 160 × 120 RGB crop-and-scale of sample1 (multiples of 16, so lossless jpegtran transforms are exact).</summary>
    public static Pnm Small => SmallPhoto.Value;

    public static byte[] SmallPpm => Pnm.ToPpm(Small.Width, Small.Height, Small.Rgb);

    private static Pnm MakeSmall(int n, int width, int height)
    {
        var ppm = Tools.Run("djpeg", $"-ppm \"{Path(n)}\"");
        var scaled = Tools.Run("pamscale", $"-xsize {width} -ysize {height}", ppm);
        var flat = Tools.Run("pamtopnm", string.Empty, scaled);
        return Pnm.Parse(flat);
    }
}
