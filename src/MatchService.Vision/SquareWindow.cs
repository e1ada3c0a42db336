using MatchService.Imaging.Geometry;

namespace MatchService.Vision;

/// <summary>Where face-api's <c>padToSquare</c> puts the black padding.</summary>
public enum SquarePadding
{
    /// <summary>
    /// All padding after the image: at the bottom of a wide image, at the right of a tall one
    /// (<c>padToSquare(x, false)</c>; face-api's SSD MobileNet and tiny YOLO inputs).
    /// </summary>
    BottomRight,

    /// <summary>
    /// Split: round(diff / 2) (JavaScript rounding, .5 up) after the image, the rest before it
    /// (<c>padToSquare(x, true)</c>; face-api's landmark and recognition nets).
    /// </summary>
    Centered,
}

/// <summary>The square window (possibly reaching outside the image) that realises a padding rule.</summary>
public static class SquareWindow
{
    /// <summary>The side × side window over a <paramref name="width"/> × <paramref name="height"/> image.</summary>
    public static PixelBox For(int width, int height, SquarePadding placement)
    {
        int diff = Math.Abs(width - height);
        int after = placement == SquarePadding.Centered ? (int)Math.Floor((diff * 0.5) + 0.5) : diff;
        int before = diff - after;
        return width >= height
            ? new PixelBox(0, -before, width, width)
            : new PixelBox(-before, 0, height, height);
    }
}
