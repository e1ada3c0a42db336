using System.Runtime.InteropServices;
using MatchService.Imaging.Native;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>
/// TurboJPEG compression, for fixtures and benchmarks (RGB or CMYK input; no command-line encoder writes CMYK). The
/// service itself never encodes, so this lives with the tests (the benchmarks link this file).
/// </summary>
internal static unsafe class JpegEncoder
{
    public const int Subsampling444 = 0;
    public const int Subsampling420 = 2;

    /// <summary>Compresses packed pixels (3 bytes per pixel for RGB, 4 for CMYK).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, bool cmyk = false, int quality = 95,
        int subsampling = Subsampling444, bool progressive = false)
    {
        using var handle = TurboJpegHandle.CreateCompressor();
        int bytesPerPixel = cmyk ? 4 : 3;
        nint jpeg = 0;
        nuint size = 0;
        try
        {
            fixed (byte* src = pixels)
            {
                int rc = TurboJpegNative.Compress2(
                    handle.DangerousGetHandle(), src, width, width * bytesPerPixel, height,
                    cmyk ? TurboJpegNative.PixelFormatCmyk : TurboJpegNative.PixelFormatRgb,
                    ref jpeg, ref size, subsampling, quality, progressive ? TurboJpegNative.FlagProgressive : 0);
                if (rc != 0)
                {
                    throw new InvalidOperationException("TurboJPEG compression failed: " + TurboJpegNative.ErrorMessage(handle.DangerousGetHandle()));
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
                TurboJpegNative.Free(jpeg);
            }
        }
    }
}
