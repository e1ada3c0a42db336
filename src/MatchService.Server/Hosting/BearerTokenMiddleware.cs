using System.Security.Cryptography;
using System.Text;
using Grpc.Core;

namespace MatchService.Server.Hosting;

/// <summary>
/// When a bearer token is configured, every gRPC call except health needs <c>authorization: Bearer &lt;token&gt;</c>;
/// others get UNAUTHENTICATED before any message is read. Health stays open for Kubernetes probes.
/// </summary>
internal sealed partial class BearerTokenMiddleware(RequestDelegate next, string token, ILogger<BearerTokenMiddleware> logger)
{
    private const string HealthService = "/grpc.health.v1.Health";
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(token);

    /// <summary>Checks the token, then calls the next middleware.</summary>
    public Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Request.Path.StartsWithSegments(HealthService, StringComparison.Ordinal))
        {
            return next(http);
        }
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _expected))
        {
            return next(http);
        }
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogRefused(logger, http.Request.Path.Value, header.Length == 0 ? "no authorization header" : "wrong token");
        }
        return GrpcTrailersOnly.WriteAsync(http, StatusCode.Unauthenticated,
            header.Length == 0 ? "Missing 'authorization: Bearer <token>' header." : "The bearer token is not valid.");
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {Path} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? path, string reason);
}
