namespace MatchService.Imaging.Decoding;

/// <summary>
/// CMYK → RGB without colour management. libjpeg(-turbo) and Adobe store CMYK JPEG samples inverted
/// (255 = no ink), so R = C·K/255, G = M·K/255, B = Y·K/255 on the stored values.
/// </summary>
internal static class CmykConversion
{
    public static void ToRgb(ReadOnlySpan<byte> cmyk, Span<byte> rgb, int pixels)
    {
        for (int i = 0; i < pixels; i++)
        {
            int k = cmyk[(i * 4) + 3];
            rgb[i * 3] = Mul(cmyk[i * 4], k);
            rgb[(i * 3) + 1] = Mul(cmyk[(i * 4) + 1], k);
            rgb[(i * 3) + 2] = Mul(cmyk[(i * 4) + 2], k);
        }
    }

    private static byte Mul(int c, int k)
    {
        int t = (c * k) + 128;
        return (byte)((t + (t >> 8)) >> 8);
    }
}
