namespace MatchService.Imaging;

/// <summary>What the header says, read before any pixel buffer is allocated.</summary>
/// <param name="Format">Format from the magic bytes.</param>
/// <param name="Width">Stored width in pixels.</param>
/// <param name="Height">Stored height in pixels.</param>
/// <param name="Orientation">EXIF orientation (1–8; 1 when absent or not applied).</param>
/// <param name="HasAlpha">Whether the image carries transparency (flattened onto black on decode).</param>
public readonly record struct ImageInfo(ImageFormat Format, int Width, int Height, ExifOrientation Orientation, bool HasAlpha)
{
    /// <summary>Width as displayed, after orientation.</summary>
    public int OrientedWidth => Orientation.SwapsAxes() ? Height : Width;

    /// <summary>Height as displayed, after orientation.</summary>
    public int OrientedHeight => Orientation.SwapsAxes() ? Width : Height;
}
