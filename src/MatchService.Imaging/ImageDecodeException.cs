namespace MatchService.Imaging;

/// <summary>Why an image could not be decoded; the RPC layer maps every value to INVALID_ARGUMENT.</summary>
public enum ImageDecodeFailure
{
    /// <summary>No bytes at all.</summary>
    Empty,

    /// <summary>The magic bytes match none of JPEG, PNG, WebP.</summary>
    UnknownFormat,

    /// <summary>The encoded size exceeds <see cref="ImageDecoderOptions.MaxEncodedBytes"/>.</summary>
    EncodedSizeTooLarge,

    /// <summary>Width × height exceeds <see cref="ImageDecoderOptions.MaxPixels"/> (checked from the header, before any pixel buffer).</summary>
    TooManyPixels,

    /// <summary>The header gives a zero or otherwise impossible width or height.</summary>
    InvalidDimensions,

    /// <summary>The data ends before the image does.</summary>
    Truncated,

    /// <summary>The data is damaged (bad header, bad entropy data, bad checksum, codec warning in strict mode).</summary>
    Corrupt,

    /// <summary>A valid file using a feature this service does not accept (e.g. animated WebP).</summary>
    Unsupported,
}

/// <summary>A typed decode error: <see cref="Reason"/> for code, the message for a person.</summary>
public sealed class ImageDecodeException : Exception
{
    /// <summary>Creates the error.</summary>
    public ImageDecodeException(ImageDecodeFailure reason, string message, string? imageId = null, ImageFormat format = ImageFormat.Unknown)
        : base(imageId is null ? message : $"image '{imageId}': {message}")
    {
        Reason = reason;
        ImageId = imageId;
        Format = format;
    }

    /// <summary>Parameterless form required by the exception design rules; prefer the typed constructor.</summary>
    public ImageDecodeException()
        : this(ImageDecodeFailure.Corrupt, "image could not be decoded")
    {
    }

    /// <summary>Message-only form; the reason is <see cref="ImageDecodeFailure.Corrupt"/>.</summary>
    public ImageDecodeException(string message)
        : this(ImageDecodeFailure.Corrupt, message)
    {
    }

    /// <summary>Message and inner exception; the reason is <see cref="ImageDecodeFailure.Corrupt"/>.</summary>
    public ImageDecodeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = ImageDecodeFailure.Corrupt;
    }

    /// <summary>What was wrong.</summary>
    public ImageDecodeFailure Reason { get; }

    /// <summary>The client's id of the image, when the caller passed one.</summary>
    public string? ImageId { get; }

    /// <summary>The format the magic bytes indicated, when known.</summary>
    public ImageFormat Format { get; }

    internal ImageDecodeException WithImageId(string? imageId) =>
        imageId is null || ImageId is not null ? this : new ImageDecodeException(Reason, Message, imageId, Format);
}
