using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Pipelines;
using Google.Protobuf;

namespace MatchService.Grpc.Framing;

/// <summary>
/// Reads length-prefixed messages (1 byte compressed flag, 4 bytes big-endian length, the message) from a pipe.
/// Each protocol violation becomes an <see cref="RpcException"/> whose message says what was wrong.
/// </summary>
public sealed class MessageFrameReader
{
    /// <summary>Size of the prefix.</summary>
    public const int PrefixLength = 5;

    private readonly PipeReader _reader;
    private readonly int _maxMessageSize;
    private readonly string? _encoding;
    private readonly string _peerName;

    /// <summary>Creates a reader.</summary>
    /// <param name="reader">The body.</param>
    /// <param name="maxMessageSize">Largest message accepted, in bytes (after decompression).</param>
    /// <param name="encoding">The peer's <c>grpc-encoding</c> (null or "identity" = none; "gzip").</param>
    /// <param name="peerName">"request" or "response", used in error messages.</param>
    public MessageFrameReader(PipeReader reader, int maxMessageSize, string? encoding, string peerName)
    {
        _reader = reader;
        _maxMessageSize = maxMessageSize;
        _encoding = encoding is null || encoding.Equals("identity", StringComparison.OrdinalIgnoreCase) ? null : encoding;
        _peerName = peerName;
    }

    /// <summary>Number of messages read so far.</summary>
    public int MessagesRead { get; private set; }

    /// <summary>
    /// Reads and parses the next message; null at a clean end of the stream. The message is parsed straight from the
    /// received buffers: no intermediate copy of the payload (images run to megabytes).
    /// </summary>
    /// <exception cref="RpcException">A framing or size violation, with what was wrong.</exception>
    /// <exception cref="InvalidProtocolBufferException">The payload is not a valid message (callers add context).</exception>
    public ValueTask<T?> ReadAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        // A unary request has usually arrived whole by the time the handler reads it: take it without an async
        // state machine (and without the boxes of every async caller above) when the pipe already holds it.
        try
        {
            // A cancelled token fails the read even when data is there, as PipeReader.ReadAsync does.
            if (!cancellationToken.IsCancellationRequested && _reader.TryRead(out var result) && TryConsume(result, parser, cancellationToken, out var message))
            {
                return new(message);
            }
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<T?>(ex);
        }
        return ReadSlowAsync(parser, cancellationToken);
    }

    private async ValueTask<T?> ReadSlowAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (TryConsume(result, parser, cancellationToken, out var message))
            {
                return message;
            }
        }
    }

    /// <summary>
    /// Takes the next message (or the clean end, as null) out of a read; false, with everything examined, when more
    /// data is needed. Every path advances the reader exactly once.
    /// </summary>
    private bool TryConsume<T>(ReadResult result, MessageParser<T> parser, CancellationToken cancellationToken, out T? message)
        where T : class, IMessage<T>
    {
        message = null;
        var buffer = result.Buffer;
        bool complete;
        ReadOnlySequence<byte> frame;
        bool compressed;
        try
        {
            complete = TryReadFrame(ref buffer, out frame, out compressed);
        }
        catch (RpcException)
        {
            _reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            throw;
        }
        if (complete)
        {
            MessagesRead++;
            try
            {
                message = compressed ? parser.ParseFrom(Decompress(frame)) : parser.ParseFrom(frame);
            }
            finally
            {
                _reader.AdvanceTo(buffer.Start);
            }
            return true;
        }
        if (result.IsCompleted)
        {
            var length = buffer.Length;
            var error = length == 0 ? null
                : length < PrefixLength
                    ? new RpcException(StatusCode.Internal,
                        $"Incomplete {_peerName} message: the stream ended after {length} of the {PrefixLength} prefix bytes.")
                    : new RpcException(StatusCode.Internal,
                        $"Incomplete {_peerName} message: the prefix announces {DeclaredLength(buffer)} bytes but the stream ended after {length - PrefixLength}.");
            _reader.AdvanceTo(buffer.End);
            return error is null ? true : throw error;
        }
        if (result.IsCanceled)
        {
            _reader.AdvanceTo(buffer.Start, buffer.End);
            throw new OperationCanceledException(cancellationToken);
        }
        _reader.AdvanceTo(buffer.Start, buffer.End);
        return false;
    }

    private static uint DeclaredLength(ReadOnlySequence<byte> buffer)
    {
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        return BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame, out bool compressed)
    {
        frame = default;
        compressed = false;
        if (buffer.Length < PrefixLength)
        {
            return false;
        }
        Span<byte> prefix = stackalloc byte[PrefixLength];
        buffer.Slice(0, PrefixLength).CopyTo(prefix);
        var flag = prefix[0];
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (flag > 1)
        {
            throw new RpcException(StatusCode.Internal,
                $"Invalid {_peerName} frame: compressed flag is {flag}; only 0 and 1 are defined.");
        }
        if (flag == 1 && _encoding is null)
        {
            throw new RpcException(StatusCode.Internal,
                $"Invalid {_peerName} frame: compressed flag set but no grpc-encoding was declared.");
        }
        if (length > (uint)_maxMessageSize)
        {
            throw new RpcException(StatusCode.ResourceExhausted,
                $"Received {_peerName} message larger than max ({length} vs. {_maxMessageSize} bytes).");
        }
        if (buffer.Length < PrefixLength + length)
        {
            return false;
        }
        compressed = flag == 1;
        frame = buffer.Slice(PrefixLength, length);
        buffer = buffer.Slice(frame.End);
        return true;
    }

    private byte[] Decompress(ReadOnlySequence<byte> frame)
    {
        if (!string.Equals(_encoding, "gzip", StringComparison.OrdinalIgnoreCase))
        {
            throw new RpcException(StatusCode.Unimplemented,
                $"Unsupported grpc-encoding '{_encoding}'; supported: {GrpcProtocol.SupportedEncodings}.");
        }
        try
        {
            using var input = new MemoryStream(frame.ToArray(), writable: false);
            using var gzip = new GZipStream(input, CompressionMode.Decompress);
            using var output = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int n;
            while ((n = gzip.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (output.Length + n > _maxMessageSize)
                {
                    throw new RpcException(StatusCode.ResourceExhausted,
                        $"Received {_peerName} message larger than max after decompression (more than {_maxMessageSize} bytes).");
                }
                output.Write(chunk, 0, n);
            }
            return output.ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new RpcException(StatusCode.Internal, $"Could not decompress the {_peerName} message (gzip): {ex.Message}");
        }
    }
}
