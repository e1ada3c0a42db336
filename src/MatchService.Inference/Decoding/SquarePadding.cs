namespace MatchService.Inference.Decoding;

/// <summary>
/// Where an image sits inside the black square it is padded to before a square-input net (face-api's padToSquare):
/// <see cref="Side"/> is the square's side, <see cref="Left"/>/<see cref="Top"/> the image's offset in it.
/// </summary>
public readonly record struct SquarePadding(int Side, int Left, int Top)
{
    /// <summary>Padding split over both sides of the short axis; the odd pixel goes after (face-api's centred mode).</summary>
    public static SquarePadding Centred(int width, int height)
    {
        var diff = Math.Abs(width - height);
        var before = diff / 2;
        return width < height ? new(height, before, 0) : new(width, 0, before);
    }

    /// <summary>All padding after the image, at the bottom or the right (the SSD detector's input).</summary>
    public static SquarePadding BottomRight(int width, int height) => new(Math.Max(width, height), 0, 0);
}
