using System.Net.Sockets;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>
/// A client handler whose connections record every byte the client writes, so a test can look at what went on the
/// wire (plaintext h2c: the gRPC frames sit inside the HTTP/2 DATA frames as they are).
/// </summary>
public sealed class WireTap
{
    private readonly List<byte> _sent = [];

    /// <summary>A handler to give to <see cref="Client.GrpcChannelOptions.HttpHandler"/>.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new RecordingStream(new NetworkStream(socket, ownsSocket: true), this);
        },
    };

    /// <summary>Everything written so far.</summary>
    public byte[] Sent()
    {
        lock (_sent)
        {
            return _sent.ToArray();
        }
    }

    /// <summary>gRPC frames on the wire with the compressed flag set and a gzip member as the message (1F 8B 08).</summary>
    public int GzipFrames()
    {
        var bytes = Sent();
        var count = 0;
        for (var i = 0; i + 8 <= bytes.Length; i++)
        {
            if (bytes[i] == 1 && bytes[i + 5] == 0x1f && bytes[i + 6] == 0x8b && bytes[i + 7] == 0x08)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Whether <paramref name="text"/> went over the wire as plain bytes.</summary>
    public bool SentInPlain(string text) => Sent().AsSpan().IndexOf(System.Text.Encoding.UTF8.GetBytes(text)) >= 0;

    private void Record(ReadOnlySpan<byte> bytes)
    {
        lock (_sent)
        {
            _sent.AddRange(bytes);
        }
    }

    private sealed class RecordingStream(Stream inner, WireTap tap) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            tap.Record(buffer.AsSpan(offset, count));
            inner.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            tap.Record(buffer.Span);
            return inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
