using System.Text;

namespace MatchService.Server.Hosting;

/// <summary>
/// Answers a gRPC request without a message: HTTP 200 with the status in the headers ("trailers-only"), as the
/// middlewares that stop a call before it reaches its service do (unknown method, draining, missing token).
/// </summary>
internal static class GrpcTrailersOnly
{
    /// <summary>Writes the response; nothing else may have been written yet.</summary>
    public static Task WriteAsync(HttpContext http, Grpc.Core.StatusCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(http);
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = PercentEncode(message);
        return response.CompleteAsync();
    }

    /// <summary>grpc-message encoding: UTF-8, with bytes outside printable ASCII and '%' as %XX.</summary>
    public static string PercentEncode(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = new StringBuilder(message.Length);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is >= 0x20 and <= 0x7E and not (byte)'%')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }

    /// <summary>Whether the request is a gRPC call (content-type application/grpc…).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request?.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
}
