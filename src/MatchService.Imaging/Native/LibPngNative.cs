using System.Runtime.InteropServices;

namespace MatchService.Imaging.Native;

/// <summary>
/// libpng's simplified read API (<c>png_image</c>, libpng 1.6). Errors are caught inside libpng
/// (its own setjmp) and reported in the struct, so a bad file never aborts the process.
/// </summary>
internal static unsafe partial class LibPngNative
{
    private const string Library = "libpng16.so.16";

    public const uint ImageVersion = 1;
    public const uint FormatFlagAlpha = 0x01;
    public const uint FormatRgb = 0x02;
    public const uint FormatRgba = 0x03;
    public const uint Flag16BitSrgb = 0x04;

    /// <summary>Mirror of <c>png_image</c>; the layout must match png.h exactly.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PngImage
    {
        public nint Opaque;
        public uint Version;
        public uint Width;
        public uint Height;
        public uint Format;
        public uint Flags;
        public uint ColormapEntries;
        public uint WarningOrError;
        public fixed byte Message[64];
    }

    [LibraryImport(Library, EntryPoint = "png_image_begin_read_from_memory")]
    public static partial int BeginReadFromMemory(PngImage* image, byte* memory, nuint size);

    [LibraryImport(Library, EntryPoint = "png_image_finish_read")]
    public static partial int FinishRead(PngImage* image, void* background, byte* buffer, int rowStride, void* colormap);

    [LibraryImport(Library, EntryPoint = "png_image_free")]
    public static partial void Free(PngImage* image);

    public static string Message(PngImage* image) =>
        Marshal.PtrToStringUTF8((nint)image->Message) ?? "unknown libpng error";
}
