using System.Runtime.InteropServices;

namespace MatchService.Imaging.Native;

/// <summary>libwebp's simple decoding API (Debian <c>libwebp7</c>, libwebp 1.2).</summary>
internal static unsafe partial class LibWebpNative
{
    private const string Library = "libwebp.so.7";

    /// <summary>WEBP_DECODER_ABI_VERSION of libwebp 1.2: <c>WebPGetFeatures</c> is an inline wrapper passing it.</summary>
    private const int DecoderAbiVersion = 0x0209;

    public const int StatusOk = 0;
    public const int StatusNotEnoughData = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct BitstreamFeatures
    {
        public int Width;
        public int Height;
        public int HasAlpha;
        public int HasAnimation;
        public int Format;
        public fixed uint Pad[5];
    }

    [LibraryImport(Library, EntryPoint = "WebPGetFeaturesInternal")]
    private static partial int GetFeaturesInternal(byte* data, nuint size, BitstreamFeatures* features, int version);

    public static int GetFeatures(byte* data, nuint size, BitstreamFeatures* features) =>
        GetFeaturesInternal(data, size, features, DecoderAbiVersion);

    [LibraryImport(Library, EntryPoint = "WebPDecodeRGBInto")]
    public static partial byte* DecodeRgbInto(byte* data, nuint size, byte* output, nuint outputSize, int stride);

    [LibraryImport(Library, EntryPoint = "WebPDecodeRGBAInto")]
    public static partial byte* DecodeRgbaInto(byte* data, nuint size, byte* output, nuint outputSize, int stride);
}
