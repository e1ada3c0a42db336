using MatchService.Imaging.Memory;
using System.Buffers.Binary;
using MatchService.Imaging.Native;

namespace MatchService.Imaging.Decoding;

/// <summary>
/// WebP (lossy VP8, lossless VP8L, extended VP8X with alpha) through libwebp's stateless simple API
/// (no decoder handle to pool). Animated WebP is refused. Alpha is flattened onto black.
/// </summary>
internal sealed unsafe class WebpDecoder : IFormatDecoder
{
    public ImageInfo ReadInfo(ReadOnlySpan<byte> data, ImageDecoderOptions options)
    {
        LibWebpNative.BitstreamFeatures features;
        int status;
        fixed (byte* p = data)
        {
            status = LibWebpNative.GetFeatures(p, (nuint)data.Length, &features);
        }

        if (status != LibWebpNative.StatusOk)
        {
            var reason = status == LibWebpNative.StatusNotEnoughData ? ImageDecodeFailure.Truncated : ImageDecodeFailure.Corrupt;
            throw new ImageDecodeException(reason, $"WebP header is invalid (libwebp status {status})", format: ImageFormat.Webp);
        }

        if (features.HasAnimation != 0)
        {
            throw new ImageDecodeException(ImageDecodeFailure.Unsupported, "animated WebP is not accepted; send one frame", format: ImageFormat.Webp);
        }

        DimensionGuard.Check(ImageFormat.Webp, features.Width, features.Height, options);
        return new ImageInfo(ImageFormat.Webp, features.Width, features.Height, ExifOrientation.Normal, features.HasAlpha != 0);
    }

    public RgbImage Decode(ReadOnlySpan<byte> data, ImageInfo info, int minWidth, int minHeight, ImageDecoderOptions options)
    {
        var result = RgbImage.Rent(info.Width, info.Height);
        try
        {
            int pixels = info.Width * info.Height;
            if (info.HasAlpha)
            {
                byte[] rgba = ImageArrayPools.Bytes.Rent(pixels * 4);
                try
                {
                    fixed (byte* p = data)
                    fixed (byte* dst = rgba)
                    {
                        Check(LibWebpNative.DecodeRgbaInto(p, (nuint)data.Length, dst, (nuint)(pixels * 4), info.Width * 4), data);
                    }

                    AlphaFlattening.CompositeOnBlack(rgba, result.Pixels, pixels);
                }
                finally
                {
                    ImageArrayPools.Bytes.Return(rgba);
                }
            }
            else
            {
                fixed (byte* p = data)
                fixed (byte* dst = result.Buffer)
                {
                    Check(LibWebpNative.DecodeRgbInto(p, (nuint)data.Length, dst, (nuint)(pixels * 3), result.Stride), data);
                }
            }

            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    private static void Check(byte* decoded, ReadOnlySpan<byte> data)
    {
        if (decoded != null)
        {
            return;
        }

        // The simple API gives no reason; the RIFF size field tells truncation from damage.
        long riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(4, 4)) + 8L;
        bool truncated = riffSize > data.Length;
        throw new ImageDecodeException(
            truncated ? ImageDecodeFailure.Truncated : ImageDecodeFailure.Corrupt,
            truncated ? $"WebP data ends after {data.Length} of {riffSize} bytes" : "WebP bitstream is corrupt",
            format: ImageFormat.Webp);
    }
}
