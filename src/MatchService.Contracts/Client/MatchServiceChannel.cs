using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Contracts.Client;

/// <summary>
/// A configured channel and clients for console programs and tests (services use
/// <see cref="MatchServiceClientRegistration.AddMatchServiceClient"/>, which applies the same settings):
/// <code>
/// using var channel = MatchServiceChannel.Create(new() { Address = "dns:///matchservice:50051", BearerToken = token });
/// var client = MatchServiceChannel.CreateClient(channel, options);
/// </code>
/// </summary>
public static class MatchServiceChannel
{
    /// <summary>The metadata key that makes grpc-dotnet compress a call's request messages.</summary>
    public const string RequestEncodingHeader = "grpc-internal-encoding-request";

    /// <summary>Creates the channel (dispose it when done: it owns the connections).</summary>
    public static GrpcChannel Create(MatchServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var channelOptions = new GrpcChannelOptions { HttpHandler = CreateHandler(options), DisposeHttpClient = true };
        Configure(channelOptions, options);
        return GrpcChannel.ForAddress(options.Address, channelOptions);
    }

    /// <summary>A MatchService client on <paramref name="channel"/> (request compression as the options say).</summary>
    public static V1.MatchService.MatchServiceClient CreateClient(GrpcChannel channel, MatchServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        return new V1.MatchService.MatchServiceClient(CallInvoker(channel, options));
    }

    /// <summary>A grpc.health.v1 client on <paramref name="channel"/>.</summary>
    public static Health.HealthClient CreateHealthClient(GrpcChannel channel) => new(channel);

    /// <summary>
    /// The channel's call invoker with what the library adds to calls: <c>match-inputs: vectors</c> on a comparison of
    /// precomputed pairs, and gzip when the options ask for it.
    /// </summary>
    public static CallInvoker CallInvoker(GrpcChannel channel, MatchServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        return channel.Intercept(new PrecomputedComparisonMarker(), new RequestCompression(options.CompressRequests));
    }

    /// <summary>
    /// The HTTP/2 handler: several connections per server when streams run out, keep-alive pings so idle connections
    /// to a drained pod are noticed, and the TLS material of the options.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(MatchServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            KeepAlivePingDelay = TimeSpan.FromSeconds(60),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        if (options.ClientCertificatePath is { Length: > 0 } certificate)
        {
            handler.SslOptions.ClientCertificates = [X509Certificate2.CreateFromPemFile(certificate, options.ClientKeyPath)];
        }
        if (options.CaCertificatePath is { Length: > 0 } caPath)
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(caPath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
            {
                if (cert is null)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                // The chain must end at the given CA; the host name must still match.
                return chain.Build(new X509Certificate2(cert))
                    && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == System.Net.Security.SslPolicyErrors.None;
            };
        }
        return handler;
    }

    /// <summary>Credentials, load balancing, retries and message limits (everything but the handler).</summary>
    public static void Configure(GrpcChannelOptions channel, MatchServiceClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(channel);
        ArgumentNullException.ThrowIfNull(options);
        if (!Uri.TryCreate(options.Address, UriKind.Absolute, out var address))
        {
            throw new ArgumentException($"address '{options.Address}': use http://host:port, https://host:port or dns:///host:port", nameof(options));
        }
        // Any other scheme names a resolver (dns, or one the caller registers in the channel's service provider).
        var resolved = address.Scheme is not ("http" or "https");
        var tls = address.Scheme == Uri.UriSchemeHttps || (resolved && options.UseTls);

        var transport = tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        if (options.BearerToken is { Length: > 0 } token)
        {
            var bearer = CallCredentials.FromInterceptor((_, metadata) =>
            {
                metadata.Add("authorization", $"Bearer {token}");
                return Task.CompletedTask;
            });
            channel.Credentials = ChannelCredentials.Create(transport, bearer);
            // Plaintext is for loopback and private networks; a token there is the operator's choice.
            channel.UnsafeUseInsecureChannelCallCredentials = !tls;
        }
        else if (resolved)
        {
            channel.Credentials = transport;
        }

        channel.MaxSendMessageSize = options.MaxSendMessageSize;
        channel.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        // Retries replay buffered requests: allow an image-sized request (the default is 1 MiB per call).
        channel.MaxRetryBufferPerCallSize = options.MaxSendMessageSize;
        channel.MaxRetryBufferSize = Math.Max(channel.MaxRetryBufferSize ?? 0, 4L * options.MaxSendMessageSize);
        channel.ServiceConfig = ServiceConfigFor(address, options.MaxAttempts);
    }

    /// <summary>round_robin over every resolved address for <c>dns:///</c> (any resolver scheme), and the retry policy.</summary>
    public static ServiceConfig ServiceConfigFor(Uri address, int maxAttempts)
    {
        ArgumentNullException.ThrowIfNull(address);
        var config = new ServiceConfig();
        if (address.Scheme is not ("http" or "https"))
        {
            config.LoadBalancingConfigs.Add(new RoundRobinConfig());
        }
        if (maxAttempts > 1)
        {
            config.MethodConfigs.Add(new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = maxAttempts,
                    InitialBackoff = TimeSpan.FromMilliseconds(200),
                    MaxBackoff = TimeSpan.FromSeconds(5),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.ResourceExhausted, StatusCode.Unavailable },
                },
            });
        }
        return config;
    }

    /// <summary>
    /// The call's options with <paramref name="key"/> added to its headers, unless the caller set it already; on a copy,
    /// so a caller's <see cref="Metadata"/> reused for other calls is left as it was.
    /// </summary>
    internal static CallOptions WithHeaderUnlessSet(CallOptions options, string key, string value)
    {
        if (options.Headers?.Get(key) is not null)
        {
            return options;
        }
        var headers = new Metadata();
        foreach (var entry in options.Headers ?? [])
        {
            headers.Add(entry);
        }
        headers.Add(key, value);
        return options.WithHeaders(headers);
    }

    /// <summary>Asks grpc-dotnet to gzip every request message of the call (when enabled).</summary>
    internal sealed class RequestCompression(bool enabled) : Interceptor
    {
        private CallOptions WithGzip(CallOptions options) => enabled ? WithHeaderUnlessSet(options, RequestEncodingHeader, "gzip") : options;

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
            AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, new(context.Method, context.Host, WithGzip(context.Options)));

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
            ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(new(context.Method, context.Host, WithGzip(context.Options)));

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(TRequest request,
            ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, new(context.Method, context.Host, WithGzip(context.Options)));

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
            ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation) =>
            continuation(new(context.Method, context.Host, WithGzip(context.Options)));
    }
}
