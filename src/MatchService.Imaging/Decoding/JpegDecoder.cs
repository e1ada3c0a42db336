using MatchService.Imaging.Memory;
using MatchService.Imaging.Native;

namespace MatchService.Imaging.Decoding;

/// <summary>
/// JPEG through TurboJPEG: baseline, progressive, grayscale (expanded to RGB), CMYK/YCCK (converted here),
/// with DCT-domain scaling by 1/2, 1/4 or 1/8 when the caller needs less than full resolution.
/// One decompressor handle per thread, created on first use and reused.
/// </summary>
internal sealed unsafe class JpegDecoder : IFormatDecoder
{
    private static readonly int[] Denominators = [8, 4, 2];

    [ThreadStatic]
    private static TurboJpegHandle? t_handle;

    private static nint Handle => (t_handle ??= TurboJpegHandle.CreateDecompressor()).DangerousGetHandle();

    public ImageInfo ReadInfo(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        // Our own marker walk first: a SOF claiming 0 or 65535 × 65535 is refused before libjpeg sees it.
        var scan = JpegMarkerScanner.Scan(data);
        if (scan.HasFrame)
        {
            DimensionGuard.Check(ImageFormat.Jpeg, scan.Width, scan.Height, options);
        }

        int width, height;
        fixed (byte* p = data)
        {
            if (TurboJpegNative.DecompressHeader3(Handle, p, (nuint)data.Length, out width, out height, out _, out _) != 0)
            {
                throw Failure("reading the header");
            }
        }

        DimensionGuard.Check(ImageFormat.Jpeg, width, height, options);
        var orientation = options.ApplyExifOrientation ? scan.Orientation : ExifOrientation.Normal;
        return new ImageInfo(ImageFormat.Jpeg, width, height, orientation, HasAlpha: false);
    }

    public RgbImage Decode(ReadOnlySpan<byte> data, ImageInfo info, int minWidth, int minHeight, ImageDecoderOptions options)
    {
        int colorspace;
        fixed (byte* p = data)
        {
            // Header again on this thread's handle: tjDecompress2 needs the handle primed with this image.
            if (TurboJpegNative.DecompressHeader3(Handle, p, (nuint)data.Length, out _, out _, out _, out colorspace) != 0)
            {
                throw Failure("reading the header");
            }
        }

        (int width, int height) = ScaledSize(info.Width, info.Height, minWidth, minHeight);
        int flags = (options.JpegWarningsAreErrors ? TurboJpegNative.FlagStopOnWarning : 0)
            | (options.JpegAccurateDct ? TurboJpegNative.FlagAccurateDct : 0);
        bool cmyk = colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck;
        var image = RgbImage.Rent(width, height);
        try
        {
            if (cmyk)
            {
                DecodeCmyk(data, image, flags, options);
            }
            else
            {
                fixed (byte* p = data)
                fixed (byte* dst = image.Buffer)
                {
                    int rc = TurboJpegNative.Decompress2(
                        Handle, p, (nuint)data.Length, dst, width, image.Stride, height, TurboJpegNative.PixelFormatRgb, flags);
                    CheckDecompress(rc, options);
                }
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>The smallest DCT-scaled size (1/8, 1/4, 1/2, else full) that still covers the minimum.</summary>
    internal static (int Width, int Height) ScaledSize(int width, int height, int minWidth, int minHeight)
    {
        if (minWidth > 0 || minHeight > 0)
        {
            foreach (int d in Denominators)
            {
                int w = (width + d - 1) / d, h = (height + d - 1) / d;
                if (w >= minWidth && h >= minHeight)
                {
                    return (w, h);
                }
            }
        }

        return (width, height);
    }

    private static void DecodeCmyk(ReadOnlySpan<byte> data, RgbImage image, int flags, ImageDecoderOptions options)
    {
        int pixels = image.Width * image.Height;
        byte[] cmyk = ImageArrayPools.Bytes.Rent(pixels * 4);
        try
        {
            fixed (byte* p = data)
            fixed (byte* dst = cmyk)
            {
                int rc = TurboJpegNative.Decompress2(
                    Handle, p, (nuint)data.Length, dst, image.Width, image.Width * 4, image.Height, TurboJpegNative.PixelFormatCmyk, flags);
                CheckDecompress(rc, options);
            }

            CmykConversion.ToRgb(cmyk.AsSpan(0, pixels * 4), image.Pixels, pixels);
        }
        finally
        {
            ImageArrayPools.Bytes.Return(cmyk);
        }
    }

    private static void CheckDecompress(int rc, ImageDecoderOptions options)
    {
        // TurboJPEG 2.1 returns -1 for warnings too; without STOPONWARNING the pixels are complete and usable.
        if (rc != 0 && (options.JpegWarningsAreErrors || TurboJpegNative.GetErrorCode(Handle) != TurboJpegNative.ErrorWarning))
        {
            throw Failure("decoding");
        }
    }

    private static ImageDecodeException Failure(string stage)
    {
        string message = TurboJpegNative.ErrorMessage(Handle);
        var reason = message.Contains("Premature end", StringComparison.OrdinalIgnoreCase)
            || message.Contains("insufficient data", StringComparison.OrdinalIgnoreCase)
            ? ImageDecodeFailure.Truncated
            : ImageDecodeFailure.Corrupt;
        return new ImageDecodeException(reason, $"JPEG {stage} failed: {message}", format: ImageFormat.Jpeg);
    }
}
