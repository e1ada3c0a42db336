using System.Buffers.Binary;
using System.IO.Compression;
using Google.Protobuf;

namespace MatchService.Grpc.Framing;

/// <summary>Writes length-prefixed messages: uncompressed, or gzip-compressed with the compressed flag set.</summary>
public static class MessageFrameWriter
{
    /// <summary>The framed size of a message, checking the send limit.</summary>
    public static int FramedSize(IMessage message, int maxMessageSize, string side)
    {
        var size = message.CalculateSize();
        if (size > maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Sending {side} message larger than max ({size} vs. {maxMessageSize} bytes).");
        }
        return MessageFrameReader.PrefixLength + size;
    }

    /// <summary>Writes the prefix and the message into <paramref name="destination"/> (exactly the framed size).</summary>
    public static void Write(IMessage message, Span<byte> destination)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)(destination.Length - MessageFrameReader.PrefixLength));
        message.WriteTo(destination[MessageFrameReader.PrefixLength..]);
    }

    /// <summary>The framed bytes of a message.</summary>
    public static byte[] ToArray(IMessage message, int maxMessageSize, string side)
    {
        var bytes = new byte[FramedSize(message, maxMessageSize, side)];
        Write(message, bytes);
        return bytes;
    }

    /// <summary>
    /// The framed bytes of a message compressed with gzip (compressed flag 1, the compressed length); the peer must have
    /// been told <c>grpc-encoding: gzip</c>. The limit applies to the message before compression, as readers check it
    /// after decompression.
    /// </summary>
    public static byte[] ToGzipArray(IMessage message, int maxMessageSize, string side)
    {
        ArgumentNullException.ThrowIfNull(message);
        FramedSize(message, maxMessageSize, side);
        using var buffer = new MemoryStream();
        buffer.Write(stackalloc byte[MessageFrameReader.PrefixLength]);
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            message.WriteTo(gzip);
        }
        var bytes = buffer.ToArray();
        bytes[0] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)(bytes.Length - MessageFrameReader.PrefixLength));
        return bytes;
    }
}
