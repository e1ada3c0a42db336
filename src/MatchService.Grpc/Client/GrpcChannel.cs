using Google.Protobuf;

namespace MatchService.Grpc.Client;

/// <summary>
/// A connection to a gRPC server over <see cref="HttpClient"/>: HTTP/2 only (prior knowledge on http://, ALPN on
/// https://), many concurrent calls multiplexed on one connection. Thread-safe; create one per address and reuse it.
/// </summary>
public sealed class GrpcChannel : IDisposable
{
    internal const string UserAgent = "matchservice-grpc-dotnet/1.0";

    private readonly bool _ownsClient;

    private GrpcChannel(Uri address, HttpClient client, bool ownsClient, GrpcChannelOptions options)
    {
        Address = address;
        HttpClient = client;
        _ownsClient = ownsClient;
        Options = options;
    }

    /// <summary>The server address, e.g. http://127.0.0.1:50051.</summary>
    public Uri Address { get; }

    /// <summary>The HTTP client calls are sent with.</summary>
    public HttpClient HttpClient { get; }

    /// <summary>The channel options.</summary>
    public GrpcChannelOptions Options { get; }

    /// <summary>A channel to <paramref name="address"/> (http:// for h2c, https:// for TLS).</summary>
    public static GrpcChannel ForAddress(string address, GrpcChannelOptions? options = null) =>
        ForAddress(new Uri(address), options);

    /// <summary>A channel to <paramref name="address"/>.</summary>
    public static GrpcChannel ForAddress(Uri address, GrpcChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        options ??= new GrpcChannelOptions();
        var handler = options.HttpHandler ?? new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        };
        var client = new HttpClient(handler, disposeHandler: options.HttpHandler is null)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = System.Net.HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        return new GrpcChannel(address, client, ownsClient: true, options);
    }

    /// <summary>A channel over an existing client (not disposed with the channel).</summary>
    public static GrpcChannel ForHttpClient(Uri address, HttpClient client, GrpcChannelOptions? options = null) =>
        new(address, client, ownsClient: false, options ?? new GrpcChannelOptions());

    /// <summary>Starts a unary call.</summary>
    public AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartUnary(request);
        return new AsyncUnaryCall<TResponse>(call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a client-streaming call.</summary>
    public AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartStreaming();
        return new AsyncClientStreamingCall<TRequest, TResponse>(new ClientRequestStream<TRequest, TResponse>(call),
            call.ReadSingleResponseAsync(), call);
    }

    /// <summary>Starts a server-streaming call.</summary>
    public AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, TRequest request, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartUnary(request);
        return new AsyncServerStreamingCall<TResponse>(new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <summary>Starts a bidirectional-streaming call.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, CallOptions options = default)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var call = new ClientCall<TRequest, TResponse>(this, method, options);
        call.StartStreaming();
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(new ClientRequestStream<TRequest, TResponse>(call),
            new ClientResponseStream<TRequest, TResponse>(call), call);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            HttpClient.Dispose();
        }
    }
}
