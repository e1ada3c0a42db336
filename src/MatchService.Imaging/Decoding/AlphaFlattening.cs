namespace MatchService.Imaging.Decoding;

/// <summary>
/// Transparency policy: RGBA is composited onto black in the encoded (sRGB) value space,
/// v = round(c × a / 255). A fully transparent pixel becomes black, an opaque one keeps its colour.
/// Black matches the zero padding the face models see around crops.
/// </summary>
internal static class AlphaFlattening
{
    public static void CompositeOnBlack(ReadOnlySpan<byte> rgba, Span<byte> rgb, int pixels)
    {
        for (int i = 0; i < pixels; i++)
        {
            int a = rgba[(i * 4) + 3];
            rgb[i * 3] = Mul(rgba[i * 4], a);
            rgb[(i * 3) + 1] = Mul(rgba[(i * 4) + 1], a);
            rgb[(i * 3) + 2] = Mul(rgba[(i * 4) + 2], a);
        }
    }

    // Exact round(c * a / 255) for c, a in 0..255.
    private static byte Mul(int c, int a)
    {
        int t = (c * a) + 128;
        return (byte)((t + (t >> 8)) >> 8);
    }
}
