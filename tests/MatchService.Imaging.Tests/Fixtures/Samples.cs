namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Real photos (face-api's demo JPEGs) and images derived from them with the reference tools.</summary>
internal static class Samples
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static readonly Lazy<Pnm> SmallPhoto = new(() => MakeSmall(1, 160, 120));

    public static string Path(int n) => System.IO.Path.Combine(
        Root.Value, ".cache", "npm", "face-api-1.7.15", "package", "demo", $"sample{n}.jpg");

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

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "MatchService.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root (MatchService.sln) not found; run scripts/setup.sh");
    }
}
