using System.Buffers.Binary;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Writes an APP1 Exif segment holding one orientation tag into a JPEG, right after SOI.</summary>
internal static class ExifSegment
{
    public static byte[] WithOrientation(byte[] jpeg, int orientation, bool bigEndian = false)
    {
        // TIFF header (8) + IFD0: count (2), one 12-byte entry, next-IFD offset (4).
        var tiff = new byte[8 + 2 + 12 + 4];
        var s = tiff.AsSpan();
        if (bigEndian)
        {
            "MM"u8.CopyTo(s);
            BinaryPrimitives.WriteUInt16BigEndian(s[2..], 42);
            BinaryPrimitives.WriteUInt32BigEndian(s[4..], 8);
            BinaryPrimitives.WriteUInt16BigEndian(s[8..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(s[10..], 0x0112);
            BinaryPrimitives.WriteUInt16BigEndian(s[12..], 3);
            BinaryPrimitives.WriteUInt32BigEndian(s[14..], 1);
            BinaryPrimitives.WriteUInt16BigEndian(s[18..], (ushort)orientation);
        }
        else
        {
            "II"u8.CopyTo(s);
            BinaryPrimitives.WriteUInt16LittleEndian(s[2..], 42);
            BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 8);
            BinaryPrimitives.WriteUInt16LittleEndian(s[8..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(s[10..], 0x0112);
            BinaryPrimitives.WriteUInt16LittleEndian(s[12..], 3);
            BinaryPrimitives.WriteUInt32LittleEndian(s[14..], 1);
            BinaryPrimitives.WriteUInt16LittleEndian(s[18..], (ushort)orientation);
        }

        var payload = "Exif\0\0"u8.ToArray().Concat(tiff).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg[..2], .. segment, .. jpeg[2..]];
    }
}
