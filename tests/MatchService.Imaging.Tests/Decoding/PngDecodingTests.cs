using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Decoding;

/// <summary>PNG decoding against netpbm's pngtopnm and the source pixels.</summary>
public sealed class PngDecodingTests
{
    private readonly ImageDecoder _decoder = new();

    [Fact]
    public void Rgb8_png_is_lossless()
    {
        var png = Encoders.Png(Samples.SmallPpm);
        using var decoded = _decoder.Decode(png);
        Assert.Equal(ImageFormat.Png, decoded.Info.Format);
        PixelAssert.Close(Samples.Small, decoded.Image, maxAbsDiff: 0);
    }

    [Fact]
    public void Crushed_png_decodes_to_the_same_pixels()
    {
        var crushed = Encoders.Crush(Encoders.Png(Samples.SmallPpm));
        using var decoded = _decoder.Decode(crushed);
        PixelAssert.Close(Samples.Small, decoded.Image, maxAbsDiff: 0);
    }

    [Fact]
    public void Sixteen_bit_png_matches_pngtopnm_reduced_to_8_bit()
    {
        // Real 16-bit content (low bytes not equal to high bytes), or pnmtopng would store 8 bits.
        var small = Samples.Small;
        var header = System.Text.Encoding.ASCII.GetBytes($"P6\n{small.Width} {small.Height}\n65535\n");
        var deep = new byte[header.Length + (small.Rgb.Length * 2)];
        header.CopyTo(deep, 0);
        for (int i = 0; i < small.Rgb.Length; i++)
        {
            int v = Math.Min(65535, (small.Rgb[i] * 257) + (i * 37 % 200));
            deep[header.Length + (2 * i)] = (byte)(v >> 8);
            deep[header.Length + (2 * i) + 1] = (byte)v;
        }

        var png = Encoders.Png(deep);
        Assert.Equal(16, png[24]); // IHDR bit depth
        using var decoded = _decoder.Decode(png);
        PixelAssert.Close(Pnm.Parse(Tools.Run("pngtopnm", string.Empty, png)), decoded.Image, maxAbsDiff: 1);
    }

    [Fact]
    public void Palette_png_matches_pngtopnm()
    {
        var quantised = Tools.Run("pnmquant", "16", Samples.SmallPpm);
        var png = Encoders.Png(quantised);
        Assert.Equal(3, png[25]); // IHDR colour type 3 = palette
        using var decoded = _decoder.Decode(png);
        PixelAssert.Close(Pnm.Parse(Tools.Run("pngtopnm", string.Empty, png)), decoded.Image, maxAbsDiff: 0);
    }

    [Fact]
    public void Grayscale_png_expands_to_equal_channels()
    {
        var gray = Tools.Run("ppmtopgm", string.Empty, Samples.SmallPpm);
        var png = Encoders.Png(gray);
        Assert.Equal(0, png[25]); // colour type 0 = gray
        using var decoded = _decoder.Decode(png);
        PixelAssert.Close(Pnm.Parse(gray), decoded.Image, maxAbsDiff: 0);
    }

    [Fact]
    public void Alpha_png_is_composited_onto_black()
    {
        var small = Samples.Small;
        var alpha = Encoders.AlphaRamp(small.Width, small.Height);
        var png = Encoders.PngWithAlpha(Samples.SmallPpm, Pnm.ToPgm(small.Width, small.Height, alpha));
        Assert.Equal(6, png[25]); // colour type 6 = RGBA
        using var decoded = _decoder.Decode(png);
        Assert.True(decoded.Info.HasAlpha);
        PixelAssert.Close(Encoders.CompositeOnBlack(small.Rgb, alpha), decoded.Image.Pixels, maxAbsDiff: 0);
    }
}
