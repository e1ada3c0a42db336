using System.Runtime.InteropServices;

namespace MatchService.Imaging.Native;

/// <summary>P/Invoke surface of libjpeg-turbo's TurboJPEG 2.1 API (Debian <c>libturbojpeg0</c>), decompression side.</summary>
internal static partial class TurboJpegNative
{
    private const string Library = "libturbojpeg.so.0";

    public const int PixelFormatRgb = 0;
    public const int PixelFormatCmyk = 11;

    public const int ColorspaceCmyk = 3;
    public const int ColorspaceYcck = 4;

    public const int FlagAccurateDct = 4096;
    public const int FlagStopOnWarning = 8192;

    public const int ErrorWarning = 0;

    [LibraryImport(Library, EntryPoint = "tjInitDecompress")]
    public static partial nint InitDecompress();

    [LibraryImport(Library, EntryPoint = "tjDestroy")]
    public static partial int Destroy(nint handle);

    [LibraryImport(Library, EntryPoint = "tjDecompressHeader3")]
    public static unsafe partial int DecompressHeader3(
        nint handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int subsamp, out int colorspace);

    [LibraryImport(Library, EntryPoint = "tjDecompress2")]
    public static unsafe partial int Decompress2(
        nint handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(Library, EntryPoint = "tjGetErrorStr2")]
    public static partial nint GetErrorStr2(nint handle);

    [LibraryImport(Library, EntryPoint = "tjGetErrorCode")]
    public static partial int GetErrorCode(nint handle);

    public static string ErrorMessage(nint handle) =>
        Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "unknown TurboJPEG error";
}
