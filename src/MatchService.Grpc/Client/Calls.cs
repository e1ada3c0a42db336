using Google.Protobuf;

namespace MatchService.Grpc.Client;

/// <summary>A unary call in progress. Dispose it to cancel.</summary>
public sealed class AsyncUnaryCall<TResponse> : IDisposable
{
    private readonly IDisposable _call;
    private readonly Func<Status> _status;
    private readonly Func<Metadata> _trailers;

    internal AsyncUnaryCall(Task<TResponse> response, Task<Metadata> headers, Func<Status> status, Func<Metadata> trailers, IDisposable call)
    {
        ResponseAsync = response;
        ResponseHeadersAsync = headers;
        _status = status;
        _trailers = trailers;
        _call = call;
    }

    /// <summary>The response; throws <see cref="RpcException"/> for a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>Awaits the response.</summary>
    public System.Runtime.CompilerServices.TaskAwaiter<TResponse> GetAwaiter() => ResponseAsync.GetAwaiter();

    /// <summary>The final status (after the call finished).</summary>
    public Status GetStatus() => _status();

    /// <summary>The trailers (after the call finished).</summary>
    public Metadata GetTrailers() => _trailers();

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}

/// <summary>A client-streaming call in progress.</summary>
public sealed class AsyncClientStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IDisposable _call;
    private readonly Func<Status> _status;
    private readonly Func<Metadata> _trailers;

    internal AsyncClientStreamingCall(IClientStreamWriter<TRequest> requests, Task<TResponse> response, Task<Metadata> headers,
        Func<Status> status, Func<Metadata> trailers, IDisposable call)
    {
        RequestStream = requests;
        ResponseAsync = response;
        ResponseHeadersAsync = headers;
        _status = status;
        _trailers = trailers;
        _call = call;
    }

    /// <summary>Write requests here, then <see cref="IClientStreamWriter{T}.CompleteAsync"/>.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The response; throws <see cref="RpcException"/> for a status other than OK.</summary>
    public Task<TResponse> ResponseAsync { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The final status (after the call finished).</summary>
    public Status GetStatus() => _status();

    /// <summary>The trailers (after the call finished).</summary>
    public Metadata GetTrailers() => _trailers();

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}

/// <summary>A server-streaming call in progress.</summary>
public sealed class AsyncServerStreamingCall<TResponse> : IDisposable
{
    private readonly IDisposable _call;
    private readonly Func<Status> _status;
    private readonly Func<Metadata> _trailers;

    internal AsyncServerStreamingCall(IAsyncStreamReader<TResponse> responses, Task<Metadata> headers, Func<Status> status,
        Func<Metadata> trailers, IDisposable call)
    {
        ResponseStream = responses;
        ResponseHeadersAsync = headers;
        _status = status;
        _trailers = trailers;
        _call = call;
    }

    /// <summary>The responses; MoveNext throws <see cref="RpcException"/> when the call ends with a status other than OK.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The final status (after the call finished).</summary>
    public Status GetStatus() => _status();

    /// <summary>The trailers (after the call finished).</summary>
    public Metadata GetTrailers() => _trailers();

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
}

/// <summary>A bidirectional-streaming call in progress.</summary>
public sealed class AsyncDuplexStreamingCall<TRequest, TResponse> : IDisposable
{
    private readonly IDisposable _call;
    private readonly Func<Status> _status;
    private readonly Func<Metadata> _trailers;

    internal AsyncDuplexStreamingCall(IClientStreamWriter<TRequest> requests, IAsyncStreamReader<TResponse> responses,
        Task<Metadata> headers, Func<Status> status, Func<Metadata> trailers, IDisposable call)
    {
        RequestStream = requests;
        ResponseStream = responses;
        ResponseHeadersAsync = headers;
        _status = status;
        _trailers = trailers;
        _call = call;
    }

    /// <summary>Write requests here, then <see cref="IClientStreamWriter{T}.CompleteAsync"/>.</summary>
    public IClientStreamWriter<TRequest> RequestStream { get; }

    /// <summary>The responses.</summary>
    public IAsyncStreamReader<TResponse> ResponseStream { get; }

    /// <summary>The response headers.</summary>
    public Task<Metadata> ResponseHeadersAsync { get; }

    /// <summary>The final status (after the call finished).</summary>
    public Status GetStatus() => _status();

    /// <summary>The trailers (after the call finished).</summary>
    public Metadata GetTrailers() => _trailers();

    /// <inheritdoc />
    public void Dispose() => _call.Dispose();
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
