namespace MatchService.Imaging;

/// <summary>
/// What the next step needs from a decode: the smallest width and height (after EXIF orientation) it can use.
/// JPEGs are then decoded with TurboJPEG's DCT scaling (1/2, 1/4, 1/8) to the smallest size that still
/// covers both. Zero for both (the default) asks for full resolution.
/// </summary>
/// <param name="MinWidth">Smallest acceptable width in pixels, 0 = no requirement.</param>
/// <param name="MinHeight">Smallest acceptable height in pixels, 0 = no requirement.</param>
public readonly record struct DecodeRequest(int MinWidth, int MinHeight)
{
    /// <summary>Full resolution.</summary>
    public static DecodeRequest FullResolution => default;

    /// <summary>True when no reduced size was asked for.</summary>
    public bool IsFullResolution => MinWidth <= 0 && MinHeight <= 0;
}
