using System.Buffers.Binary;
using Google.Protobuf;

namespace MatchService.Grpc.Framing;

/// <summary>Writes length-prefixed, uncompressed messages.</summary>
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
}
