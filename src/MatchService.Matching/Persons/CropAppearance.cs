namespace MatchService.Matching.Persons;

/// <summary>What the weight rule looks at: how dark the person crop is and how much of the torso is black.</summary>
/// <param name="MeanLuminance">Mean luma of the person crop, 0–1 (BT.601 weights on 8-bit RGB / 255).</param>
/// <param name="DarkShare">Share of torso pixels that are dark and unsaturated, 0–1.</param>
/// <param name="PersonPixels">Pixels measured for the luminance.</param>
/// <param name="TorsoPixels">Pixels measured for the dark share.</param>
public sealed record AppearanceMeasurement(double MeanLuminance, double DarkShare, int PersonPixels, int TorsoPixels);

/// <summary>Which pixels count as black clothing.</summary>
public sealed record DarkPixelOptions
{
    /// <summary>A pixel is dark below this luma (0–1). 0.25: black and very dark navy/brown fabric under ordinary light.</summary>
    public double MaxLuminance { get; init; } = 0.25;

    /// <summary>
    /// …and unsaturated below this chroma (max(R,G,B) − min(R,G,B)) / 255. Chroma rather than HSV saturation, because
    /// saturation divides by the brightest channel and is noise for near-black pixels. 0.12 admits the colour cast of
    /// black cloth under tinted light but not dark saturated colours.
    /// </summary>
    public double MaxChroma { get; init; } = 0.12;
}

/// <summary>Measures <see cref="AppearanceMeasurement"/> from pixels: numbers in, numbers out (no decoding here).</summary>
public static class CropAppearance
{
    /// <summary>
    /// Mean luma over the person box and the dark share over its torso (both clamped to the image): the given
    /// <paramref name="torso"/> (e.g. shoulders to hips from pose keypoints), or the prior's region of the box.
    /// </summary>
    public static AppearanceMeasurement Measure(RgbPixels pixels, PersonBox person, BodyRegions regions, DarkPixelOptions? dark = null, PersonBox? torso = null)
    {
        ArgumentNullException.ThrowIfNull(regions);
        dark ??= new DarkPixelOptions();
        person.Validated("person.box");
        var crop = ToPixelRect(person.ClampTo(pixels.Width, pixels.Height));
        if (crop.Width == 0 || crop.Height == 0)
        {
            throw new MatchingArgumentException("person.box", $"lies outside the {pixels.Width}×{pixels.Height} image");
        }

        double lumaSum = 0;
        for (var y = crop.Y; y < crop.Y + crop.Height; y++)
        {
            var row = pixels.Data.Slice((y * pixels.Stride) + (crop.X * 3), crop.Width * 3);
            for (var i = 0; i < row.Length; i += 3)
            {
                lumaSum += Luma(row[i], row[i + 1], row[i + 2]);
            }
        }

        // A torso band thinner than a pixel (tiny boxes) falls back to the whole crop.
        var torsoRect = ToPixelRect((torso ?? regions.Torso(person)).ClampTo(pixels.Width, pixels.Height));
        if (torsoRect.Width == 0 || torsoRect.Height == 0)
        {
            torsoRect = crop;
        }

        var darkCount = 0;
        var maxChroma = dark.MaxChroma * 255.0;
        for (var y = torsoRect.Y; y < torsoRect.Y + torsoRect.Height; y++)
        {
            var row = pixels.Data.Slice((y * pixels.Stride) + (torsoRect.X * 3), torsoRect.Width * 3);
            for (var i = 0; i < row.Length; i += 3)
            {
                int r = row[i], g = row[i + 1], b = row[i + 2];
                var chroma = Math.Max(r, Math.Max(g, b)) - Math.Min(r, Math.Min(g, b));
                if (Luma(r, g, b) < dark.MaxLuminance && chroma < maxChroma)
                {
                    darkCount++;
                }
            }
        }

        var personPixels = crop.Width * crop.Height;
        var torsoPixels = torsoRect.Width * torsoRect.Height;
        return new AppearanceMeasurement(lumaSum / personPixels, (double)darkCount / torsoPixels, personPixels, torsoPixels);
    }

    /// <summary>BT.601 luma of an 8-bit RGB pixel, 0–1.</summary>
    public static double Luma(int r, int g, int b) => ((0.299 * r) + (0.587 * g) + (0.114 * b)) / 255.0;

    private static (int X, int Y, int Width, int Height) ToPixelRect(PersonBox box)
    {
        // Pixels whose centres lie inside the box.
        var x0 = (int)Math.Round(box.X, MidpointRounding.AwayFromZero);
        var y0 = (int)Math.Round(box.Y, MidpointRounding.AwayFromZero);
        var x1 = (int)Math.Round(box.Right, MidpointRounding.AwayFromZero);
        var y1 = (int)Math.Round(box.Bottom, MidpointRounding.AwayFromZero);
        return (x0, y0, Math.Max(0, x1 - x0), Math.Max(0, y1 - y0));
    }
}
