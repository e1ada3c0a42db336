namespace MatchService.Matching.Persons;

/// <summary>An axis-aligned box in image pixels (x right, y down).</summary>
/// <param name="X">Left edge.</param>
/// <param name="Y">Top edge.</param>
/// <param name="Width">Width (&gt; 0).</param>
/// <param name="Height">Height (&gt; 0).</param>
public readonly record struct PersonBox(float X, float Y, float Width, float Height)
{
    /// <summary>Right edge.</summary>
    public float Right => X + Width;

    /// <summary>Bottom edge.</summary>
    public float Bottom => Y + Height;

    /// <summary>The sub-box spanning <paramref name="top"/>..<paramref name="bottom"/> of the height (fractions) and a centred <paramref name="widthFraction"/> of the width.</summary>
    public PersonBox Band(float top, float bottom, float widthFraction)
    {
        var w = Width * widthFraction;
        return new PersonBox(X + ((Width - w) / 2), Y + (Height * top), w, Height * (bottom - top));
    }

    /// <summary>The box cut to an image of <paramref name="imageWidth"/> × <paramref name="imageHeight"/>; empty (zero size) when it lies outside.</summary>
    public PersonBox ClampTo(int imageWidth, int imageHeight)
    {
        var left = Math.Clamp(X, 0, imageWidth);
        var top = Math.Clamp(Y, 0, imageHeight);
        var right = Math.Clamp(Right, 0, imageWidth);
        var bottom = Math.Clamp(Bottom, 0, imageHeight);
        return new PersonBox(left, top, right - left, bottom - top);
    }

    /// <summary>Throws unless the box is finite with positive size.</summary>
    public PersonBox Validated(string field)
    {
        if (!float.IsFinite(X) || !float.IsFinite(Y) || !(Width > 0) || !(Height > 0) || !float.IsFinite(Width) || !float.IsFinite(Height))
        {
            throw new MatchingArgumentException(field, $"is ({X}, {Y}, {Width}×{Height}); a box needs finite coordinates and positive width and height");
        }

        return this;
    }
}
