using Google.Protobuf;
using MatchService.Grpc.Framing;

namespace MatchService.Grpc.Server;

/// <summary>One call in progress: its context, request frames and response.</summary>
internal sealed class ServerCall(ServerCallContext context, MessageFrameReader requests, GrpcResponse response)
{
    public ServerCallContext Context { get; } = context;

    public GrpcResponse Response { get; } = response;

    /// <summary>The next request message, or null at the end of the request stream.</summary>
    public ValueTask<TRequest?> ReadRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        // Completes without a state machine when the frame is already buffered (the usual unary case).
        var read = requests.ReadAsync(parser, cancellationToken);
        return read.IsCompletedSuccessfully ? read : WithContextAsync(read);
    }

    private async ValueTask<TRequest?> WithContextAsync<TRequest>(ValueTask<TRequest?> read)
        where TRequest : class, IMessage<TRequest>
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal,
                $"Failed to parse request message {requests.MessagesRead} of {Context.Method}: {ex.Message}");
        }
    }

    /// <summary>Exactly one request message (unary and server streaming); else UNIMPLEMENTED (cardinality violation).</summary>
    public ValueTask<TRequest> ReadSingleRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var first = ReadRequestAsync(parser, cancellationToken);
        if (!first.IsCompletedSuccessfully)
        {
            return ReadSingleSlowAsync(first, parser, cancellationToken);
        }
        try
        {
            // Reading on to the end of the stream is what tells a second message apart from none.
            var request = first.Result ?? throw NoRequest();
            var extra = ReadRequestAsync(parser, cancellationToken);
            if (!extra.IsCompletedSuccessfully)
            {
                return EnsureEndAsync(request, extra);
            }
            return extra.Result is null ? new(request) : throw ExtraRequest();
        }
        catch (RpcException ex)
        {
            return ValueTask.FromException<TRequest>(ex);
        }
    }

    private async ValueTask<TRequest> ReadSingleSlowAsync<TRequest>(ValueTask<TRequest?> first, MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var request = await first.ConfigureAwait(false) ?? throw NoRequest();
        return await EnsureEndAsync(request, ReadRequestAsync(parser, cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask<TRequest> EnsureEndAsync<TRequest>(TRequest request, ValueTask<TRequest?> extra)
        where TRequest : class, IMessage<TRequest> =>
        await extra.ConfigureAwait(false) is null ? request : throw ExtraRequest();

    private RpcException NoRequest() =>
        new(StatusCode.Unimplemented, $"{Context.Method} expects exactly one request message; the request stream had none.");

    private RpcException ExtraRequest() =>
        new(StatusCode.Unimplemented, $"{Context.Method} expects exactly one request message; the request stream had more.");
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
