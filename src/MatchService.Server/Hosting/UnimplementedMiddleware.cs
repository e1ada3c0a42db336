using Grpc.AspNetCore.Server;
using Grpc.Core;

namespace MatchService.Server.Hosting;

/// <summary>
/// UNIMPLEMENTED naming what was asked for, for gRPC calls that matched no endpoint (grpc-dotnet runs with
/// <c>IgnoreUnknownServices</c>, whose own answer names neither the service nor the method).
/// </summary>
internal sealed class UnimplementedMiddleware(RequestDelegate next, EndpointDataSource endpoints)
{
    private readonly Lazy<HashSet<string>> _services = new(() => endpoints.Endpoints
        .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName)
        .OfType<string>()
        .ToHashSet(StringComparer.Ordinal));

    /// <summary>Answers unknown calls; passes everything else on.</summary>
    public Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.GetEndpoint() is not null || !GrpcTrailersOnly.IsGrpc(http.Request))
        {
            return next(http);
        }

        var path = http.Request.Path.Value ?? "";
        var slash = path.LastIndexOf('/');
        var service = slash > 0 ? path[1..slash] : path.TrimStart('/');
        var message = _services.Value.Contains(service)
            ? $"unknown method '{path[(slash + 1)..]}' of service '{service}'"
            : $"unknown service '{service}' (served: {string.Join(", ", _services.Value.Order(StringComparer.Ordinal))})";
        return GrpcTrailersOnly.WriteAsync(http, StatusCode.Unimplemented, message);
    }
}
