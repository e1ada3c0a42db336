using Microsoft.AspNetCore.Http;

namespace MatchService.Grpc.Server;

/// <summary>Answers a request with a status and no messages, for middleware that runs before the gRPC layer (auth).</summary>
public static class GrpcTrailersOnly
{
    /// <summary>Writes HTTP 200, content-type application/grpc, grpc-status and grpc-message in one HEADERS frame.</summary>
    public static Task WriteAsync(HttpContext http, Status status)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers.GrpcStatus = ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (status.Detail.Length > 0)
        {
            http.Response.Headers.GrpcMessage = GrpcMessageText.Encode(status.Detail);
        }
        return Task.CompletedTask;
    }
}
