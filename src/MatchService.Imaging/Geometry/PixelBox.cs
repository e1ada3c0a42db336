namespace MatchService.Imaging.Geometry;

/// <summary>
/// An integer box in image pixels: columns X … X+Width−1, rows Y … Y+Height−1. It may reach outside the
/// image; the parts outside are filled according to a <see cref="BorderMode"/>.
/// </summary>
public readonly record struct PixelBox(int X, int Y, int Width, int Height)
{
    /// <summary>The whole image.</summary>
    public static PixelBox Of(RgbImage image) => new(0, 0, image.Width, image.Height);

    /// <summary>The smallest integer box holding a real-valued box (e.g. a detector's output).</summary>
    public static PixelBox Enclosing(double x, double y, double width, double height)
    {
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        int x1 = (int)Math.Ceiling(x + width), y1 = (int)Math.Ceiling(y + height);
        return new PixelBox(x0, y0, Math.Max(1, x1 - x0), Math.Max(1, y1 - y0));
    }

    /// <summary>This box clipped to a <paramref name="width"/> × <paramref name="height"/> image (may become empty).</summary>
    public PixelBox ClipTo(int width, int height)
    {
        int x0 = Math.Clamp(X, 0, width), y0 = Math.Clamp(Y, 0, height);
        int x1 = Math.Clamp(X + Width, 0, width), y1 = Math.Clamp(Y + Height, 0, height);
        return new PixelBox(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>True when the box has no pixels.</summary>
    public bool IsEmpty => Width <= 0 || Height <= 0;
}

/// <summary>How pixels outside the image are filled when a box leaves it.</summary>
public enum BorderMode
{
    /// <summary>Black (0, 0, 0) — what face-api's zero padding and most crop pipelines use.</summary>
    Constant,

    /// <summary>The nearest edge pixel is repeated.</summary>
    Replicate,
}

/// <summary>Resampling filters.</summary>
public enum ResizeKind
{
    /// <summary>
    /// Bilinear with half-pixel centres (src = (dst + 0.5) · in/out − 0.5, clamped to the edge): OpenCV's
    /// INTER_LINEAR and TensorFlow's half_pixel_centers. No anti-aliasing: for big reductions use
    /// <see cref="Area"/> or a scaled JPEG decode first.
    /// </summary>
    Bilinear,

    /// <summary>
    /// Box filter: each output pixel is the coverage-weighted mean of the source pixels under its footprint
    /// [dst · in/out, (dst + 1) · in/out). Equal to OpenCV's INTER_AREA for reductions; for enlargements it is the
    /// same exact coverage rule (nearest with blended seams), not OpenCV's bilinear fallback.
    /// </summary>
    Area,
}
