using System.Runtime.InteropServices;
using MatchService.Imaging.Native;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>
/// TurboJPEG compression, for fixtures and benchmarks (RGB or CMYK input; no command-line encoder writes CMYK). The
/// service itself never encodes, so this and its bindings to the compressor live with the tests (the benchmarks link
/// this file); the decoder's bindings give the pixel formats and the error text.
/// </summary>
internal static unsafe partial class JpegEncoder
{
    public const int Subsampling444 = 0;
    public const int Subsampling420 = 2;

    private const string Library = "libturbojpeg.so.0";
    private const int FlagProgressive = 16384;

    /// <summary>Compresses packed pixels (3 bytes per pixel for RGB, 4 for CMYK).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, bool cmyk = false, int quality = 95,
        int subsampling = Subsampling444, bool progressive = false)
    {
        nint handle = InitCompress();
        if (handle == 0)
        {
            throw new InvalidOperationException("TurboJPEG could not create a compressor");
        }

        int bytesPerPixel = cmyk ? 4 : 3;
        nint jpeg = 0;
        nuint size = 0;
        try
        {
            fixed (byte* src = pixels)
            {
                int rc = Compress2(
                    handle, src, width, width * bytesPerPixel, height,
                    cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb,
                    ref jpeg, ref size, subsampling, quality, progressive ? FlagProgressive : 0);
                if (rc != 0)
                {
                    throw new InvalidOperationException("TurboJPEG compression failed: " + TurboJpegNative.ErrorMessage(handle));
                }
            }

            var result = new byte[(int)size];
            Marshal.Copy(jpeg, result, 0, result.Length);
            return result;
        }
        finally
        {
            if (jpeg != 0)
            {
                Free(jpeg);
            }

            _ = TurboJpegNative.Destroy(handle); // nothing to do about a fixture handle that fails to go
        }
    }

    [LibraryImport(Library, EntryPoint = "tjInitCompress")]
    private static partial nint InitCompress();

    [LibraryImport(Library, EntryPoint = "tjCompress2")]
    private static partial int Compress2(
        nint handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        ref nint jpegBuf, ref nuint jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(Library, EntryPoint = "tjFree")]
    private static partial void Free(nint buffer);
}
