using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;

namespace MatchService.Server.Tests;

/// <summary>One HTTP/2 frame as it came off the wire.</summary>
public sealed record Http2Frame(byte Type, byte Flags, int StreamId, byte[] Payload)
{
    public const byte Data = 0, Headers = 1, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7;

    public bool EndStream => (Type is Data or Headers) && (Flags & 0x1) != 0;

    /// <summary>GOAWAY's last stream id and error code.</summary>
    public (int LastStreamId, uint ErrorCode) GoAwayFields =>
        ((int)(BinaryPrimitives.ReadUInt32BigEndian(Payload) & 0x7fffffff), BinaryPrimitives.ReadUInt32BigEndian(Payload.AsSpan(4)));
}

/// <summary>
/// A plaintext (h2c, prior knowledge) HTTP/2 client that shows every frame the server sends, so that a test can see a
/// GOAWAY that HttpClient handles silently. Request headers go as HPACK literals without indexing (no Huffman);
/// SETTINGS and PING are acknowledged and otherwise handed to the caller like every other frame.
/// </summary>
public sealed class RawHttp2Connection : IAsyncDisposable
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly string _authority;

    private RawHttp2Connection(TcpClient tcp, string authority)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _authority = authority;
    }

    public static async Task<RawHttp2Connection> ConnectAsync(Uri address, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(address.Host, address.Port, ct);
        var connection = new RawHttp2Connection(tcp, $"{address.Host}:{address.Port}");
        await connection._stream.WriteAsync(Preface, ct);
        await connection.WriteFrameAsync(Http2Frame.Settings, 0, 0, [], ct);
        return connection;
    }

    /// <summary>Opens a gRPC stream: the request headers (and <paramref name="extra"/> ones), without END_STREAM.</summary>
    public Task StartGrpcCallAsync(int streamId, string path, CancellationToken ct, params (string Name, string Value)[] extra)
    {
        using var block = new MemoryStream();
        foreach (var (name, value) in new[]
        {
            (":method", "POST"), (":scheme", "http"), (":path", path), (":authority", _authority),
            ("content-type", "application/grpc"), ("te", "trailers"),
        }.Concat(extra))
        {
            block.WriteByte(0); // literal header field without indexing, new name
            WriteString(block, name);
            WriteString(block, value);
        }

        return WriteFrameAsync(Http2Frame.Headers, 0x4 /* END_HEADERS */, streamId, block.ToArray(), ct);
    }

    /// <summary>Sends one length-prefixed, uncompressed gRPC message.</summary>
    public Task SendMessageAsync(int streamId, IMessage message, bool endStream, CancellationToken ct) =>
        SendDataAsync(streamId, Framed(message), endStream, ct);

    /// <summary>Sends raw request body bytes (part of a message, say) as one DATA frame.</summary>
    public Task SendDataAsync(int streamId, byte[] data, bool endStream, CancellationToken ct) =>
        WriteFrameAsync(Http2Frame.Data, (byte)(endStream ? 0x1 : 0), streamId, data, ct);

    /// <summary>One length-prefixed, uncompressed gRPC message as it goes on the wire.</summary>
    public static byte[] Framed(IMessage message)
    {
        var body = message.ToByteArray();
        var framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)body.Length);
        body.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>The next frame the caller should see, or null once the server closed the connection.</summary>
    public async Task<Http2Frame?> ReadFrameAsync(CancellationToken ct)
    {
        while (true)
        {
            var header = new byte[9];
            if (!await ReadExactlyOrEndAsync(header, ct))
            {
                return null;
            }

            var length = (header[0] << 16) | (header[1] << 8) | header[2];
            var payload = new byte[length];
            if (!await ReadExactlyOrEndAsync(payload, ct))
            {
                return null;
            }

            var frame = new Http2Frame(header[3], header[4], (int)(BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(5)) & 0x7fffffff), payload);
            if (frame.Type == Http2Frame.Settings && (frame.Flags & 0x1) == 0)
            {
                await WriteFrameAsync(Http2Frame.Settings, 0x1, 0, [], ct);
                continue;
            }

            if (frame.Type == Http2Frame.Ping && (frame.Flags & 0x1) == 0)
            {
                await WriteFrameAsync(Http2Frame.Ping, 0x1, 0, frame.Payload, ct);
                continue;
            }

            return frame;
        }
    }

    /// <summary>Whether an HPACK block carries <c>name: value</c> as a literal (the server does not Huffman-code them).</summary>
    public static bool HasLiteral(byte[] headerBlock, string name, string value)
    {
        var literal = new[] { (byte)name.Length }.Concat(Encoding.ASCII.GetBytes(name)).Append((byte)value.Length).Concat(Encoding.ASCII.GetBytes(value)).ToArray();
        return headerBlock.AsSpan().IndexOf(literal) >= 0;
    }

    private static void WriteString(MemoryStream block, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        if (bytes.Length >= 127)
        {
            throw new ArgumentException("only short header strings are supported", nameof(text));
        }

        block.WriteByte((byte)bytes.Length);
        block.Write(bytes);
    }

    private async Task WriteFrameAsync(byte type, byte flags, int streamId, byte[] payload, CancellationToken ct)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(5), (uint)streamId);
        payload.CopyTo(frame, 9);
        await _stream.WriteAsync(frame, ct);
    }

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken ct)
    {
        try
        {
            await _stream.ReadExactlyAsync(buffer, ct);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false; // the server closed its side (FIN); a reset is an error the test sees
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
