using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Decoding;

/// <summary>WebP decoding against dwebp and the source pixels.</summary>
public sealed class WebpDecodingTests
{
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Lossless_webp_is_exact()
    {
        var webp = Encoders.Webp(Samples.SmallPpm, ".ppm", "-lossless");
        using var decoded = _decoder.Decode(webp);
        Assert.Equal(ImageFormat.Webp, decoded.Info.Format);
        PixelAssert.Close(Samples.Small, decoded.Image, maxAbsDiff: 0);
    }

    [Fact]
    public void Lossy_webp_matches_dwebp()
    {
        var webp = Encoders.Webp(Samples.SmallPpm, ".ppm", "-q 80");
        using var decoded = _decoder.Decode(webp);
        var reference = Pnm.Parse(Tools.RunWithFiles("dwebp", (i, o) => $"-quiet \"{i}\" -ppm -o \"{o}\"", webp, ".webp"));
        PixelAssert.Close(reference, decoded.Image, maxAbsDiff: 1);
        PixelAssert.Close(Samples.Small, decoded.Image, maxAbsDiff: 255, maxMeanAbsDiff: 6); // and it is the photo
    }

    [Fact]
    public void Alpha_webp_is_composited_onto_black()
    {
        var small = Samples.Small;
        var alpha = Encoders.AlphaRamp(small.Width, small.Height);
        var png = Encoders.PngWithAlpha(Samples.SmallPpm, Pnm.ToPgm(small.Width, small.Height, alpha));
        var webp = Encoders.Webp(png, ".png", "-lossless -exact");
        using var decoded = _decoder.Decode(webp);
        Assert.True(decoded.Info.HasAlpha);
        PixelAssert.Close(Encoders.CompositeOnBlack(small.Rgb, alpha), decoded.Image.Pixels, maxAbsDiff: 0);
    }
}
