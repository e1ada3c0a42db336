using Google.Protobuf;
using MatchService.Grpc.Framing;

namespace MatchService.Grpc.Server;

/// <summary>One call in progress: its context, request frames and response.</summary>
internal sealed class ServerCall(ServerCallContext context, MessageFrameReader requests, GrpcResponse response)
{
    public ServerCallContext Context { get; } = context;

    public GrpcResponse Response { get; } = response;

    /// <summary>The next request message, or null at the end of the request stream.</summary>
    public async Task<TRequest?> ReadRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var bytes = await requests.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }
        try
        {
            return parser.ParseFrom(bytes.Value.Span);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal,
                $"Failed to parse request message {requests.MessagesRead} of {Context.Method}: {ex.Message}");
        }
    }

    /// <summary>Exactly one request message (unary and server streaming); else UNIMPLEMENTED (cardinality violation).</summary>
    public async Task<TRequest> ReadSingleRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var request = await ReadRequestAsync(parser, cancellationToken).ConfigureAwait(false)
            ?? throw new RpcException(StatusCode.Unimplemented,
                $"{Context.Method} expects exactly one request message; the request stream had none.");
        var extra = await requests.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (extra is not null)
        {
            throw new RpcException(StatusCode.Unimplemented,
                $"{Context.Method} expects exactly one request message; the request stream had more.");
        }
        return request;
    }
}

/// <summary>The request stream as handlers see it.</summary>
internal sealed class ServerRequestStream<TRequest>(ServerCall call, MessageParser<TRequest> parser) : IAsyncStreamReader<TRequest>
    where TRequest : class, IMessage<TRequest>
{
    private TRequest? _current;

    public TRequest Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.Context.CancellationToken);
        _current = await call.ReadRequestAsync(parser, linked.Token).ConfigureAwait(false);
        return _current is not null;
    }
}

/// <summary>The response stream as handlers see it: each write is flushed.</summary>
internal sealed class ServerResponseStream<TResponse>(ServerCall call) : IServerStreamWriter<TResponse>
    where TResponse : class, IMessage<TResponse>
{
    public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.Response.WriteMessageAsync(message, flush: true,
            cancellationToken.CanBeCanceled ? cancellationToken : call.Context.CancellationToken);
    }
}
