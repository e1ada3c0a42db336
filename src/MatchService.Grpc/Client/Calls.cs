using Google.Protobuf;

namespace MatchService.Grpc.Client;

/// <summary>What every call kind exposes about the call's end: headers, status, trailers; disposing cancels it.</summary>
internal interface IClientCallState : IDisposable
{
    Task<Metadata> ResponseHeadersAsync { get; }

    Status GetStatus();

    Metadata GetTrailers();
}

/// <summary>The part every call kind shares: response headers, final status and trailers. Dispose it to cancel.</summary>
public abstract class AsyncCall : IDisposable
{
    private readonly IClientCallState _call;

    private protected AsyncCall(IClientCallState call)
    {
        _call = call;
    }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync => _call.ResponseHeadersAsync;

    /// <summary>The final status (after the call finished).</summary>
    public Status GetStatus() => _call.GetStatus();

    /// <summary>The trailers (after the call finished).</summary>
    public Metadata GetTrailers() => _call.GetTrailers();

    /// <inheritdoc />
    public void Dispose()
    {
        _call.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A unary call in progress. Dispose it to cancel.</summary>
public sealed class AsyncUnaryCall<TResponse> : AsyncCall
{
    internal AsyncUnaryCall(Task<TResponse> response, IClientCallState call)
        : base(call)
    {
        ResponseAsync = response;
    }

    /// <summary>The response; throws <see cref="RpcException"/> for a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>Awaits the response.</summary>
    public System.Runtime.CompilerServices.TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();
}

/// <summary>A client-streaming call in progress.</summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : AsyncCall
{
    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requests, Task<TResponse> response, IClientCallState call)
        : base(call)
    {
        RequestStream = requests;
        ResponseAsync = response;
    }

    /// <summary>Write requests here, then <see cref="IClientStreamWriter{T}.CompleteAsync"/>.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; throws <see cref="RpcException"/> for a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }
}

/// <summary>A server-streaming call in progress.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : AsyncCall
{
    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responses, IClientCallState call)
        : base(call)
    {
        ResponseStream = responses;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call ends with a status other than OK.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

/// <summary>A bidirectional-streaming call in progress.</summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : AsyncCall
{
    internal AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requests, IAsyncStreamReader<TResponse> responses, IClientCallState call)
        : base(call)
    {
        RequestStream = requests;
        ResponseStream = responses;
    }

    /// <summary>Write requests here, then <see cref="IClientStreamWriter{T}.CompleteAsync"/>.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }
}

internal sealed class ClientRequestStream<TRequest, TResponse>(ClientCall<TRequest, TResponse> call) : IClientStreamWriter<TRequest>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    public Task WriteAsync(TRequest message, CancellationToken cancellationToken = default) => call.WriteAsync(message, cancellationToken);

    public Task CompleteAsync() => call.CompleteRequestAsync();
}

internal sealed class ClientResponseStream<TRequest, TResponse>(ClientCall<TRequest, TResponse> call) : IAsyncStreamReader<TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private TResponse? _current;

    public TResponse Current => _current ?? throw new InvalidOperationException("MoveNext has not returned true yet.");

    public async Task<bool> MoveNext(CancellationToken cancellationToken = default)
    {
        _current = await call.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (_current is not null)
        {
            return true;
        }
        var status = call.GetStatus();
        return status.StatusCode == StatusCode.OK ? false : throw new RpcException(status, call.GetTrailers());
    }
}
