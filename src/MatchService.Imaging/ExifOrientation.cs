namespace MatchService.Imaging;

/// <summary>EXIF tag 0x0112: how the stored pixels must be transformed to be shown upright.</summary>
public enum ExifOrientation
{
    /// <summary>Stored upright.</summary>
    Normal = 1,

    /// <summary>Mirror left-right.</summary>
    FlipHorizontal = 2,

    /// <summary>Rotate 180°.</summary>
    Rotate180 = 3,

    /// <summary>Mirror top-bottom.</summary>
    FlipVertical = 4,

    /// <summary>Mirror across the main diagonal (x ↔ y).</summary>
    Transpose = 5,

    /// <summary>Rotate 90° clockwise.</summary>
    Rotate90 = 6,

    /// <summary>Mirror across the anti-diagonal.</summary>
    Transverse = 7,

    /// <summary>Rotate 90° counter-clockwise (270° clockwise).</summary>
    Rotate270 = 8,
}

/// <summary>Facts about <see cref="ExifOrientation"/> values.</summary>
public static class ExifOrientationExtensions
{
    /// <summary>True for 5–8, whose upright image has width and height swapped.</summary>
    public static bool SwapsAxes(this ExifOrientation orientation) => orientation >= ExifOrientation.Transpose;
}
