using Google.Protobuf;

namespace MatchService.Grpc.Server;

/// <summary>The request stream as handlers see it.</summary>
internal sealed class ServerRequestStream<TRequest>(ServerCallContext call, MessageParser<TRequest> parser) : IAsyncStreamReader<TRequest>
    where TRequest : class, IMessage<TRequest>
{
    private TRequest? _current;

    public TRequest Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, call.CancellationToken);
        _current = await call.ReadRequestAsync(parser, linked.Token).ConfigureAwait(false);
        return _current is not null;
    }
}

/// <summary>The response stream as handlers see it: each write is flushed.</summary>
internal sealed class ServerResponseStream<TResponse>(ServerCallContext call) : IServerStreamWriter<TResponse>
    where TResponse : class, IMessage<TResponse>
{
    public Task WriteAsync(TResponse message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return call.Response.WriteMessageAsync(message, flush: true,
            cancellationToken.CanBeCanceled ? cancellationToken : call.CancellationToken);
    }
}
