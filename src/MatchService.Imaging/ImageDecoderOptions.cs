namespace MatchService.Imaging;

/// <summary>Limits and policies of <see cref="ImageDecoder"/> (bind from configuration section <c>Imaging:Decoder</c>).</summary>
public sealed class ImageDecoderOptions
{
    /// <summary>Largest accepted width × height, checked from the header before any pixel buffer exists. Default 40 MP.</summary>
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Largest accepted encoded size in bytes. Default 32 MiB.</summary>
    public int MaxEncodedBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Treat libjpeg warnings (corrupt entropy data, premature end of data, extraneous bytes) as errors
    /// (TurboJPEG's TJFLAG_STOPONWARNING). Default true: a damaged JPEG decodes to grey or smeared blocks
    /// whose embeddings would silently be wrong, so it is rejected with a reason instead.
    /// </summary>
    public bool JpegWarningsAreErrors { get; set; } = true;

    /// <summary>Use the accurate (slower) integer IDCT instead of libjpeg-turbo's default. Default false.</summary>
    public bool JpegAccurateDct { get; set; }

    /// <summary>Apply the EXIF orientation of JPEGs. Default true.</summary>
    public bool ApplyExifOrientation { get; set; } = true;

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxPixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEncodedBytes);
    }
}
