using MatchService.Grpc.Framing;
using Microsoft.AspNetCore.Http;

namespace MatchService.Grpc.Server;

/// <summary>What a handler knows about its call: deadline, cancellation, headers, peer, and the trailers it sends.</summary>
public sealed partial class ServerCallContext
{
    private readonly GrpcResponse _response;
    private readonly MessageFrameReader _requests;
    private readonly Func<IHeaderDictionary, Metadata> _readHeaders;
    private Metadata? _requestHeaders;

    internal ServerCallContext(HttpContext httpContext, string method, DateTime deadline, Func<IHeaderDictionary, Metadata> readHeaders,
        MessageFrameReader requests, GrpcResponse response, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        _readHeaders = readHeaders;
        CancellationToken = cancellationToken;
        _requests = requests;
        _response = response;
    }

    /// <summary>The response side (messages, headers, status).</summary>
    internal GrpcResponse Response => _response;

    /// <summary>The method path, e.g. <c>/match.v1.MatchService/Verify</c>.</summary>
    public string Method { get; }

    /// <summary>The <c>:authority</c> the client addressed.</summary>
    public string Host => HttpContext.Request.Host.Value ?? "";

    /// <summary>The peer as gRPC names it, e.g. <c>ipv4:127.0.0.1:51234</c>.</summary>
    public string Peer
    {
        get
        {
            var connection = HttpContext.Connection;
            if (connection.RemoteIpAddress is null)
            {
                return "unknown";
            }
            var ip = connection.RemoteIpAddress.IsIPv4MappedToIPv6 ? connection.RemoteIpAddress.MapToIPv4() : connection.RemoteIpAddress;
            return ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"ipv6:[{ip}]:{connection.RemotePort}"
                : $"ipv4:{ip}:{connection.RemotePort}";
        }
    }

    /// <summary>The call's deadline in UTC (<see cref="DateTime.MaxValue"/> when the client set none).</summary>
    public DateTime Deadline { get; }

    /// <summary>The client's custom headers (transport headers removed); read from the request on first use.</summary>
    public Metadata RequestHeaders => _requestHeaders ??= _readHeaders(HttpContext.Request.Headers);

    /// <summary>Cancelled when the deadline passes, the client cancels (RST_STREAM) or the connection drops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Trailers sent with the status.</summary>
    public Metadata ResponseTrailers => _response.Trailers;

    /// <summary>The status sent when the handler returns normally (OK unless set).</summary>
    public Status Status { get; set; } = Status.DefaultSuccess;

    /// <summary>The underlying ASP.NET Core request (client certificate, connection, features).</summary>
    public HttpContext HttpContext { get; }

    /// <summary>Sends the response headers now, with custom entries; at most once and before any message.</summary>
    public Task WriteResponseHeadersAsync(Metadata headers) => _response.WriteHeadersAsync(headers);
}
