namespace MatchService.Imaging;

/// <summary>Encoded image formats the decoder accepts, recognised by their magic bytes.</summary>
public enum ImageFormat
{
    /// <summary>Not a recognised format.</summary>
    Unknown = 0,

    /// <summary>JPEG (starts FF D8 FF).</summary>
    Jpeg,

    /// <summary>PNG (8-byte signature 89 'PNG' 0D 0A 1A 0A).</summary>
    Png,

    /// <summary>WebP ('RIFF' size 'WEBP').</summary>
    Webp,
}

/// <summary>Identifies the format from the first bytes; never from a file name.</summary>
public static class ImageFormatSniffer
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format the bytes start with, or <see cref="ImageFormat.Unknown"/>.</summary>
    public static ImageFormat Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        {
            return ImageFormat.Jpeg;
        }

        if (data.StartsWith(PngSignature))
        {
            return ImageFormat.Png;
        }

        if (data.Length >= 12 && data[..4].SequenceEqual("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return ImageFormat.Webp;
        }

        return ImageFormat.Unknown;
    }
}
