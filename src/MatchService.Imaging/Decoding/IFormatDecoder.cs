namespace MatchService.Imaging.Decoding;

/// <summary>One codec: header first (cheap, no pixel buffer), then pixels in stored orientation.</summary>
internal interface IFormatDecoder
{
    ImageInfo ReadInfo(ReadOnlySpan<byte> data, ImageDecoderOptions options);

    /// <param name="data">The encoded bytes.</param>
    /// <param name="info">What <see cref="ReadInfo"/> returned (already checked against the limits).</param>
    /// <param name="minWidth">Smallest acceptable stored width (0 = full resolution).</param>
    /// <param name="minHeight">Smallest acceptable stored height (0 = full resolution).</param>
    /// <param name="options">Decoder policies.</param>
    RgbImage Decode(ReadOnlySpan<byte> data, ImageInfo info, int minWidth, int minHeight, ImageDecoderOptions options);
}
