using MatchService.Imaging.Decoding;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Decoding;

/// <summary>JPEG decoding against libjpeg-turbo's own djpeg as the reference decoder.</summary>
public sealed class JpegDecodingTests
{
    private readonly ImageDecoder _decoder = new();

    private static byte[] SmallJpeg(string extra = "") => Tools.Run("cjpeg", $"-quality 92 -sample 1x1 {extra}", Samples.SmallPpm);

    [Fact]
    public void Baseline_photo_matches_djpeg()
    {
        var jpeg = Samples.Jpeg(2);
        using var decoded = _decoder.Decode(jpeg);
        var reference = Pnm.Parse(Tools.Run("djpeg", "-ppm", jpeg));
        Assert.Equal(ImageFormat.Jpeg, decoded.Info.Format);
        PixelAssert.Close(reference, decoded.Image, maxAbsDiff: 1);
    }

    [Fact]
    public void Progressive_jpeg_matches_djpeg()
    {
        var progressive = Tools.Run("jpegtran", "-progressive", Samples.Jpeg(3));
        Assert.Contains(progressive.Select((b, i) => (b, i)), t => t.b == 0xFF && t.i + 1 < progressive.Length && progressive[t.i + 1] == 0xC2);
        using var decoded = _decoder.Decode(progressive);
        PixelAssert.Close(Pnm.Parse(Tools.Run("djpeg", "-ppm", progressive)), decoded.Image, maxAbsDiff: 1);
    }

    [Fact]
    public void Grayscale_jpeg_expands_to_equal_rgb_channels()
    {
        var gray = SmallJpeg("-grayscale");
        using var decoded = _decoder.Decode(gray);
        var reference = Pnm.Parse(Tools.Run("djpeg", "-pnm", gray)); // P5, expanded to RGB by the parser
        PixelAssert.Close(reference, decoded.Image, maxAbsDiff: 1);
    }

    [Fact]
    public void Cmyk_jpeg_from_turbojpeg_decodes_to_the_source_colours()
    {
        var source = Samples.Small;
        // Inverted (Adobe/libjpeg) CMYK of the source: C = 255 - R etc. before removing K.
        int pixels = source.Width * source.Height;
        var cmyk = new byte[pixels * 4];
        for (int i = 0; i < pixels; i++)
        {
            int r = source.Rgb[i * 3], g = source.Rgb[(i * 3) + 1], b = source.Rgb[(i * 3) + 2];
            int k = Math.Max(r, Math.Max(g, b)); // stored K: 255 - ink
            cmyk[(i * 4) + 3] = (byte)k;
            cmyk[i * 4] = (byte)(k == 0 ? 255 : Math.Round(r * 255.0 / k));
            cmyk[(i * 4) + 1] = (byte)(k == 0 ? 255 : Math.Round(g * 255.0 / k));
            cmyk[(i * 4) + 2] = (byte)(k == 0 ? 255 : Math.Round(b * 255.0 / k));
        }

        var jpeg = JpegEncoder.Encode(cmyk, source.Width, source.Height, cmyk: true, quality: 98);
        using var decoded = _decoder.Decode(jpeg);
        PixelAssert.Close(source, decoded.Image, maxAbsDiff: 64, maxMeanAbsDiff: 2.5);
    }

    [Theory]
    [InlineData(2, 481, 0)]     // needs > 1/4 of 1920 → 1/2
    [InlineData(4, 480, 320)]   // exactly 1/4 of 1920 × 1280
    [InlineData(8, 200, 150)]   // 240 × 160 covers it
    [InlineData(1, 1000, 1000)] // 1/2 gives 640 rows < 1000 → full
    public void Scaled_decode_picks_the_smallest_covering_factor_and_matches_djpeg_scale(int denominator, int minW, int minH)
    {
        var jpeg = Samples.Jpeg(1); // 1920 × 1280
        using var decoded = _decoder.Decode(jpeg, new DecodeRequest(minW, minH));
        Assert.Equal((1920 + denominator - 1) / denominator, decoded.Image.Width);
        Assert.Equal((1280 + denominator - 1) / denominator, decoded.Image.Height);
        Assert.Equal(1.0 / denominator, decoded.Scale, 3);
        var reference = Pnm.Parse(Tools.Run("djpeg", $"-scale 1/{denominator} -ppm", jpeg));
        PixelAssert.Close(reference, decoded.Image, maxAbsDiff: 1);
    }

    [Theory]
    [InlineData(1, "")]
    [InlineData(2, "-flip horizontal")]
    [InlineData(3, "-rotate 180")]
    [InlineData(4, "-flip vertical")]
    [InlineData(5, "-transpose")]
    [InlineData(6, "-rotate 90")]
    [InlineData(7, "-transverse")]
    [InlineData(8, "-rotate 270")]
    public void Exif_orientation_is_applied_like_jpegtran_transforms(int orientation, string jpegtranOp)
    {
        var plain = SmallJpeg();
        var tagged = ExifSegment.WithOrientation(plain, orientation, bigEndian: orientation % 2 == 0);
        // Reference: jpegtran's lossless transform of the untagged file, decoded by djpeg.
        var transformed = jpegtranOp.Length == 0 ? plain : Tools.Run("jpegtran", $"-perfect {jpegtranOp}", plain);
        var expected = Pnm.Parse(Tools.Run("djpeg", "-ppm", transformed));

        using var decoded = _decoder.Decode(tagged);
        Assert.Equal((ExifOrientation)orientation, decoded.Info.Orientation);
        Assert.Equal(expected.Width, decoded.Info.OrientedWidth);
        PixelAssert.Close(expected, decoded.Image, maxAbsDiff: 12, maxMeanAbsDiff: 0.6);
    }

    [Fact]
    public void Orientation_can_be_ignored_by_configuration()
    {
        var tagged = ExifSegment.WithOrientation(SmallJpeg(), 6);
        using var decoded = new ImageDecoder(new ImageDecoderOptions { ApplyExifOrientation = false }).Decode(tagged);
        Assert.Equal(Samples.Small.Width, decoded.Image.Width);
        Assert.Equal(ExifOrientation.Normal, decoded.Info.Orientation);
    }

    [Fact]
    public void Scaled_decode_of_a_rotated_jpeg_applies_the_minimum_to_the_upright_image()
    {
        var tagged = ExifSegment.WithOrientation(Samples.Jpeg(1), 6); // upright: 1280 × 1920
        using var decoded = _decoder.Decode(tagged, new DecodeRequest(320, 480));
        Assert.Equal(320, decoded.Image.Width);
        Assert.Equal(480, decoded.Image.Height);
        Assert.Equal(1280, decoded.Info.OrientedWidth);
    }
}
