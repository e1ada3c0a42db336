using MatchService.Imaging.Decoding;

namespace MatchService.Imaging;

/// <summary>
/// Turns encoded bytes into an upright <see cref="RgbImage"/>. Order of checks: byte limit, empty, magic bytes,
/// header (pixel limit, zero size) — all before any pixel buffer — then the codec. Every failure is an
/// <see cref="ImageDecodeException"/>; native codecs report errors by return value, never by aborting.
/// Thread-safe: native state is per thread.
/// </summary>
public sealed class ImageDecoder
{
    private static readonly JpegDecoder Jpeg = new();
    private static readonly PngDecoder Png = new();
    private static readonly WebpDecoder Webp = new();

    private readonly ImageDecoderOptions _options;

    /// <summary>Creates a decoder with the given limits.</summary>
    public ImageDecoder(ImageDecoderOptions? options = null)
    {
        _options = options ?? new ImageDecoderOptions();
        _options.Validate();
    }

    /// <summary>The limits in force.</summary>
    public ImageDecoderOptions Options => _options;

    /// <summary>Reads and checks the header only.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not an acceptable image.</exception>
    public ImageInfo ReadInfo(ReadOnlySpan<byte> data, string? imageId = null)
    {
        try
        {
            return CodecFor(data).ReadInfo(data, _options);
        }
        catch (ImageDecodeException e)
        {
            throw e.WithImageId(imageId);
        }
    }

    /// <summary>
    /// Pixels (width × height) that <see cref="Decode"/> produces for an image with this header and request: the DCT-scaled
    /// size for a JPEG, the stored size otherwise. Lets a caller reserve memory before any pixel buffer exists.
    /// </summary>
    public static long DecodedPixels(ImageInfo info, DecodeRequest request)
    {
        var (minW, minH) = StoredMinimum(info, request);
        var (w, h) = info.Format == ImageFormat.Jpeg ? JpegDecoder.ScaledSize(info.Width, info.Height, minW, minH) : (info.Width, info.Height);
        return (long)w * h;
    }

    /// <summary>Decodes to upright RGB, scaled down (JPEG only) as far as <paramref name="request"/> allows.</summary>
    /// <exception cref="ImageDecodeException">The bytes are not an acceptable image.</exception>
    public DecodedImage Decode(ReadOnlySpan<byte> data, DecodeRequest request = default, string? imageId = null)
    {
        try
        {
            var codec = CodecFor(data);
            var info = codec.ReadInfo(data, _options);
            var (minW, minH) = StoredMinimum(info, request);
            var stored = codec.Decode(data, info, minW, minH, _options);
            return new DecodedImage(OrientationTransform.Apply(stored, info.Orientation), info);
        }
        catch (ImageDecodeException e)
        {
            throw e.WithImageId(imageId);
        }
    }

    /// <summary>The request's minimum in stored (not yet oriented) axes; (0, 0) for full resolution.</summary>
    private static (int Width, int Height) StoredMinimum(ImageInfo info, DecodeRequest request)
    {
        if (request.IsFullResolution)
        {
            return (0, 0);
        }

        bool swap = info.Orientation.SwapsAxes();
        return (Math.Max(swap ? request.MinHeight : request.MinWidth, 1), Math.Max(swap ? request.MinWidth : request.MinHeight, 1));
    }

    private IFormatDecoder CodecFor(ReadOnlySpan<byte> data)
    {
        if (data.Length > _options.MaxEncodedBytes)
        {
            throw new ImageDecodeException(
                ImageDecodeFailure.EncodedSizeTooLarge, $"image is {data.Length} bytes; the limit is {_options.MaxEncodedBytes}");
        }

        if (data.IsEmpty)
        {
            throw new ImageDecodeException(ImageDecodeFailure.Empty, "image has no bytes");
        }

        return ImageFormatSniffer.Detect(data) switch
        {
            ImageFormat.Jpeg => Jpeg,
            ImageFormat.Png => Png,
            ImageFormat.Webp => Webp,
            _ => throw new ImageDecodeException(
                ImageDecodeFailure.UnknownFormat,
                $"not a JPEG, PNG or WebP (first bytes {Convert.ToHexString(data[..Math.Min(8, data.Length)])})"),
        };
    }
}
