using System.Diagnostics;
using MatchService.Imaging.Tests.Fixtures;

namespace MatchService.Imaging.Tests.Decoding;

/// <summary>Every kind of bad input gives a typed <see cref="ImageDecodeException"/>, never a crash or a leak.</summary>
[Collection(MemoryMeasurements.Name)] // alone, so other tests' allocations do not blur the memory figures
public sealed class BadInputTests
{
    private readonly ImageDecoder _decoder = new();

    public static TheoryData<string, ImageDecodeFailure> Cases => new()
    {
        { "empty", ImageDecodeFailure.Empty },
        { "text", ImageDecodeFailure.UnknownFormat },
        { "gif", ImageDecodeFailure.UnknownFormat },
        { "jpeg-truncated", ImageDecodeFailure.Truncated },
        { "jpeg-header-only", ImageDecodeFailure.Truncated },
        { "jpeg-corrupt", ImageDecodeFailure.Corrupt },
        { "jpeg-65535x65535", ImageDecodeFailure.TooManyPixels },
        { "jpeg-zero-width", ImageDecodeFailure.InvalidDimensions },
        { "png-truncated", ImageDecodeFailure.Truncated },
        { "png-corrupt", ImageDecodeFailure.Corrupt },
        { "png-100000x100000", ImageDecodeFailure.TooManyPixels },
        { "png-zero-width", ImageDecodeFailure.InvalidDimensions },
        { "webp-truncated", ImageDecodeFailure.Truncated },
        { "webp-lossy-truncated", ImageDecodeFailure.Truncated },
        { "webp-corrupt", ImageDecodeFailure.Corrupt },
        { "webp-16384x16384", ImageDecodeFailure.TooManyPixels },
    };

    internal static byte[] Make(string name) => name switch
    {
        "empty" => [],
        "text" => "hello, this is not an image"u8.ToArray(),
        "gif" => "GIF89a\x01\0\x01\0"u8.ToArray(),
        "jpeg-truncated" => BadImages.Truncated(BadImages.Jpeg.Value),
        "jpeg-header-only" => BadImages.Truncated(BadImages.Jpeg.Value, 0.1),
        "jpeg-corrupt" => BadImages.CorruptMiddle(BadImages.Jpeg.Value),
        "jpeg-65535x65535" => BadImages.JpegClaiming(65535, 65535),
        "jpeg-zero-width" => BadImages.JpegClaiming(0, 120),
        "png-truncated" => BadImages.Truncated(BadImages.Png.Value),
        "png-corrupt" => BadImages.CorruptMiddle(BadImages.Png.Value),
        "png-100000x100000" => BadImages.PngClaiming(100_000, 100_000),
        "png-zero-width" => BadImages.PngClaiming(0, 120),
        "webp-truncated" => BadImages.Truncated(BadImages.WebpLossless.Value),
        "webp-lossy-truncated" => BadImages.Truncated(BadImages.WebpLossy.Value),
        "webp-corrupt" => BadImages.CorruptAt(BadImages.WebpLossless.Value, 30), // WebP has no checksum: damage the code tables
        "webp-16384x16384" => BadImages.WebpClaimingMaximum(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_gives_a_typed_error_naming_the_image(string name, ImageDecodeFailure expected)
    {
        var data = Make(name);
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.Decode(data, imageId: "img-7"));
        Assert.Equal(expected, error.Reason);
        Assert.Equal("img-7", error.ImageId);
        Assert.StartsWith("image 'img-7': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_limit_message_names_the_size_and_the_limit()
    {
        var error = Assert.Throws<ImageDecodeException>(() => _decoder.ReadInfo(BadImages.PngClaiming(100_000, 100_000)));
        Assert.Contains("100000 × 100000", error.Message, StringComparison.Ordinal);
        Assert.Contains("40000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pixel_limit_is_configurable()
    {
        var strict = new ImageDecoder(new ImageDecoderOptions { MaxPixels = 100 * 100 });
        var error = Assert.Throws<ImageDecodeException>(() => strict.Decode(BadImages.Jpeg.Value));
        Assert.Equal(ImageDecodeFailure.TooManyPixels, error.Reason);
    }

    [Fact]
    public void Bytes_over_the_limit_are_refused_before_decoding()
    {
        var decoder = new ImageDecoder(new ImageDecoderOptions { MaxEncodedBytes = 1000 });
        var error = Assert.Throws<ImageDecodeException>(() => decoder.Decode(BadImages.Jpeg.Value, imageId: "big"));
        Assert.Equal(ImageDecodeFailure.EncodedSizeTooLarge, error.Reason);
        Assert.Contains("limit is 1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_warnings_are_errors_by_default_and_tolerated_when_configured()
    {
        // Cut inside the entropy data: libjpeg warns "Premature end of JPEG file" and pads with grey.
        var truncated = BadImages.Truncated(BadImages.Jpeg.Value, 0.8);
        Assert.Equal(ImageDecodeFailure.Truncated, Assert.Throws<ImageDecodeException>(() => _decoder.Decode(truncated)).Reason);

        var lenient = new ImageDecoder(new ImageDecoderOptions { JpegWarningsAreErrors = false });
        using var decoded = lenient.Decode(truncated);
        Assert.Equal(Samples.Small.Width, decoded.Image.Width);
        // The top rows (before the cut) are still the photo.
        PixelAssert.Close(Samples.Small.Rgb.AsSpan(0, Samples.Small.Width * 3 * 16), decoded.Image.Pixels[..(Samples.Small.Width * 3 * 16)], 255, 6);
    }

    [Fact]
    public void Decoder_keeps_working_after_errors_on_the_same_thread()
    {
        Assert.Throws<ImageDecodeException>(() => _decoder.Decode(BadImages.CorruptMiddle(BadImages.Jpeg.Value)));
        using var decoded = _decoder.Decode(BadImages.Jpeg.Value);
        PixelAssert.Close(Samples.Small, decoded.Image, 255, 3);
    }

    [Fact]
    public void Thousands_of_bad_inputs_keep_memory_bounded()
    {
        var inputs = Cases.Select(c => Make((string)c[0])).ToArray();
        void Round(int n)
        {
            for (int i = 0; i < n; i++)
            {
                foreach (var input in inputs)
                {
                    try
                    {
                        using var decoded = _decoder.Decode(input);
                    }
                    catch (ImageDecodeException)
                    {
                    }
                }
            }
        }

        Round(20); // warm up: JIT, pools, per-thread native handles
        long managedBefore = SettledManagedBytes();
        long rssBefore = Rss();
        Round(250); // 4000 bad decodes
        long managedGrowth = SettledManagedBytes() - managedBefore;
        long rssGrowth = Rss() - rssBefore;
        Assert.True(managedGrowth < 8 << 20, $"managed memory grew by {managedGrowth} bytes");
        Assert.True(rssGrowth < 48 << 20, $"RSS grew by {rssGrowth} bytes");
    }

    private static long SettledManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static long Rss()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
