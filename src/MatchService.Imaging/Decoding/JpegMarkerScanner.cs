using System.Buffers.Binary;

namespace MatchService.Imaging.Decoding;

/// <summary>
/// Walks the JPEG marker segments up to the first scan: finds the frame size (SOFn) and the EXIF orientation
/// (APP1 "Exif\0\0", TIFF IFD0 tag 0x0112). Every read is bounds-checked; a malformed Exif block means
/// "no orientation", never an error, because cameras write plenty of odd Exif.
/// </summary>
internal static class JpegMarkerScanner
{
    public readonly record struct Result(bool HasFrame, int Width, int Height, ExifOrientation Orientation);

    public static Result Scan(ReadOnlySpan<byte> data)
    {
        var orientation = ExifOrientation.Normal;
        int pos = 2; // after SOI
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF)
            {
                break;
            }

            byte marker = data[pos + 1];
            if (marker == 0xFF)
            {
                pos++; // fill byte
                continue;
            }

            if (marker == 0xD8 || marker is >= 0xD0 and <= 0xD7 || marker == 0x01)
            {
                pos += 2; // standalone markers
                continue;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(pos + 2, 2));
            if (length < 2 || pos + 2 + length > data.Length)
            {
                break;
            }

            var payload = data.Slice(pos + 4, length - 2);
            if (marker == 0xE1 && payload.Length > 6 && payload[..6].SequenceEqual("Exif\0\0"u8))
            {
                orientation = ReadTiffOrientation(payload[6..]) ?? orientation;
            }
            else if (IsStartOfFrame(marker) && payload.Length >= 5)
            {
                int height = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(1, 2));
                int width = BinaryPrimitives.ReadUInt16BigEndian(payload.Slice(3, 2));
                return new Result(true, width, height, orientation);
            }
            else if (marker == 0xDA || marker == 0xD9)
            {
                break;
            }

            pos += 2 + length;
        }

        return new Result(false, 0, 0, orientation);
    }

    private static bool IsStartOfFrame(byte marker) =>
        marker is >= 0xC0 and <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;

    /// <summary>Reads tag 0x0112 from IFD0 of a TIFF block; null when absent or malformed.</summary>
    internal static ExifOrientation? ReadTiffOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return null;
        }

        bool little;
        if (tiff[0] == (byte)'I' && tiff[1] == (byte)'I')
        {
            little = true;
        }
        else if (tiff[0] == (byte)'M' && tiff[1] == (byte)'M')
        {
            little = false;
        }
        else
        {
            return null;
        }

        if (U16(tiff[2..], little) != 42)
        {
            return null;
        }

        uint ifd = U32(tiff[4..], little);
        if (ifd > (uint)tiff.Length - 2)
        {
            return null;
        }

        int count = U16(tiff[(int)ifd..], little);
        int entries = (int)ifd + 2;
        for (int i = 0; i < count; i++)
        {
            int e = entries + (i * 12);
            if (e + 12 > tiff.Length)
            {
                return null;
            }

            if (U16(tiff[e..], little) != 0x0112)
            {
                continue;
            }

            int type = U16(tiff[(e + 2)..], little);
            int value = type == 3 ? U16(tiff[(e + 8)..], little) : type == 4 ? (int)U32(tiff[(e + 8)..], little) : 0;
            return value is >= 1 and <= 8 ? (ExifOrientation)value : null;
        }

        return null;
    }

    private static ushort U16(ReadOnlySpan<byte> s, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(s) : BinaryPrimitives.ReadUInt16BigEndian(s);

    private static uint U32(ReadOnlySpan<byte> s, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(s) : BinaryPrimitives.ReadUInt32BigEndian(s);
}
