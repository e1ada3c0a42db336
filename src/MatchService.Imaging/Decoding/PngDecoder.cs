using MatchService.Imaging.Memory;
using System.Buffers.Binary;
using MatchService.Imaging.Native;

namespace MatchService.Imaging.Decoding;

/// <summary>
/// PNG through libpng's simplified API: 1/2/4/8/16-bit, palette, grayscale, with or without alpha, all read
/// as 8-bit RGB(A). 16-bit files without colour information are taken as sRGB-encoded (PNG_IMAGE_FLAG_16BIT_sRGB),
/// so 16 → 8 bit is a plain reduction rather than a linear-to-sRGB curve. Alpha is flattened onto black
/// (<see cref="AlphaFlattening"/>).
/// </summary>
internal sealed unsafe class PngDecoder : IFormatDecoder
{
    public ImageInfo ReadInfo(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        // IHDR is always the first chunk: check its size claim before libpng allocates anything.
        if (data.Length >= 24 && data.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            DimensionGuard.Check(
                ImageFormat.Png,
                BinaryPrimitives.ReadUInt32BigEndian(data.Slice(16, 4)),
                BinaryPrimitives.ReadUInt32BigEndian(data.Slice(20, 4)),
                options);
        }

        LibPngNative.PngImage image = default;
        image.Version = LibPngNative.ImageVersion;
        try
        {
            Begin(&image, data);
            DimensionGuard.Check(ImageFormat.Png, image.Width, image.Height, options);
            return new ImageInfo(
                ImageFormat.Png, (int)image.Width, (int)image.Height, ExifOrientation.Normal,
                (image.Format & LibPngNative.FormatFlagAlpha) != 0);
        }
        finally
        {
            LibPngNative.Free(&image);
        }
    }

    public RgbImage Decode(ReadOnlySpan<byte> data, ImageInfo info, int minWidth, int minHeight, ImageDecoderOptions options)
    {
        LibPngNative.PngImage image = default;
        image.Version = LibPngNative.ImageVersion;
        var result = RgbImage.Rent(info.Width, info.Height);
        byte[]? rgba = null;
        try
        {
            Begin(&image, data);
            image.Flags |= LibPngNative.Flag16BitSrgb;
            int pixels = info.Width * info.Height;
            if (info.HasAlpha)
            {
                image.Format = LibPngNative.FormatRgba;
                rgba = ImageArrayPools.Bytes.Rent(pixels * 4);
                Finish(&image, rgba, info.Width * 4, data);
                AlphaFlattening.CompositeOnBlack(rgba, result.Pixels, pixels);
            }
            else
            {
                image.Format = LibPngNative.FormatRgb;
                Finish(&image, result.Buffer, result.Stride, data);
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            LibPngNative.Free(&image);
            if (rgba is not null)
            {
                ImageArrayPools.Bytes.Return(rgba);
            }
        }
    }

    private static void Begin(LibPngNative.PngImage* image, ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            if (LibPngNative.BeginReadFromMemory(image, p, (nuint)data.Length) == 0)
            {
                throw Failure(image, "reading the header");
            }
        }
    }

    private static void Finish(LibPngNative.PngImage* image, byte[] buffer, int stride, ReadOnlySpan<byte> data)
    {
        // The memory reader keeps a pointer to the encoded bytes: they must stay pinned until the read ends.
        fixed (byte* keepPinned = data)
        fixed (byte* dst = buffer)
        {
            if (LibPngNative.FinishRead(image, null, dst, stride, null) == 0)
            {
                throw Failure(image, "decoding");
            }
        }
    }

    private static ImageDecodeException Failure(LibPngNative.PngImage* image, string stage)
    {
        string message = LibPngNative.Message(image);
        var reason = message.Contains("end of data", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Not enough image data", StringComparison.OrdinalIgnoreCase)
            || message.Contains("Read Error", StringComparison.OrdinalIgnoreCase)
            ? ImageDecodeFailure.Truncated
            : ImageDecodeFailure.Corrupt;
        return new ImageDecodeException(reason, $"PNG {stage} failed: {message}", format: ImageFormat.Png);
    }
}
