using System.Buffers.Binary;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Damaged and hostile variants of real encoded images.</summary>
internal static class BadImages
{
    public static readonly Lazy<byte[]> Jpeg = new(() => Tools.Run("cjpeg", "-quality 90", Samples.SmallPpm));
    public static readonly Lazy<byte[]> Png = new(() => Encoders.Png(Samples.SmallPpm));
    public static readonly Lazy<byte[]> WebpLossless = new(() => Encoders.Webp(Samples.SmallPpm, ".ppm", "-lossless"));
    public static readonly Lazy<byte[]> WebpLossy = new(() => Encoders.Webp(Samples.SmallPpm, ".ppm", "-q 80"));

    public static byte[] Truncated(byte[] data, double keep = 0.5) => data[..(int)(data.Length * keep)];

    /// <summary>Overwrites a run of bytes in the middle with a fixed pseudo-random pattern.</summary>
    public static byte[] CorruptMiddle(byte[] data, int length = 64) => CorruptAt(data, data.Length / 2, length);

    /// <summary>Overwrites bytes from <paramref name="start"/> with a fixed pseudo-random pattern.</summary>
    public static byte[] CorruptAt(byte[] data, int start, int length = 64)
    {
        var copy = (byte[])data.Clone();
        var random = new Random(1234);
        for (int i = start; i < start + length; i++)
        {
            copy[i] = (byte)random.Next(256);
        }

        return copy;
    }

    /// <summary>A JPEG whose SOF claims the given size (the scan data stays the small image's).</summary>
    public static byte[] JpegClaiming(int width, int height)
    {
        var copy = (byte[])Jpeg.Value.Clone();
        for (int i = 2; i + 9 < copy.Length; i++)
        {
            if (copy[i] == 0xFF && copy[i + 1] is 0xC0 or 0xC1 or 0xC2)
            {
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 5), (ushort)height);
                BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(i + 7), (ushort)width);
                return copy;
            }
        }

        throw new InvalidOperationException("no SOF marker");
    }

    /// <summary>A PNG whose IHDR claims the given size, with a valid CRC so only the size is wrong.</summary>
    public static byte[] PngClaiming(uint width, uint height)
    {
        var copy = (byte[])Png.Value.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), Crc32(copy.AsSpan(12, 17))); // type + 13 data bytes
        return copy;
    }

    /// <summary>A lossless WebP whose VP8L header claims 16384 × 16384 (the format's maximum).</summary>
    public static byte[] WebpClaimingMaximum()
    {
        var copy = (byte[])WebpLossless.Value.Clone();
        if (!copy.AsSpan(12, 4).SequenceEqual("VP8L"u8) || copy[20] != 0x2F)
        {
            throw new InvalidOperationException("expected a simple VP8L file");
        }

        uint bits = BinaryPrimitives.ReadUInt32LittleEndian(copy.AsSpan(21));
        bits = (bits & 0xF000_0000) | 0x3FFF | (0x3FFFu << 14);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(21), bits);
        return copy;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFF_FFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1;
            }
        }

        return ~crc;
    }
}
