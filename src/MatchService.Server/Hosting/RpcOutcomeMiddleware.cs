using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using MatchService.Server.Telemetry;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace MatchService.Server.Hosting;

/// <summary>
/// The outermost gRPC middleware: records every call's method, status and duration (<see cref="RpcMetrics"/>), and
/// makes the two statuses grpc-dotnet produces outside any handler as precise as ours: an oversize request names the
/// limit and its setting (RESOURCE_EXHAUSTED), an unparsable request is INTERNAL with the parse error instead of
/// UNKNOWN "Exception was thrown by handler".
/// </summary>
internal sealed class RpcOutcomeMiddleware(RequestDelegate next, RpcMetrics metrics, Microsoft.Extensions.Options.IOptions<MatchServerOptions> options)
{
    private const string OversizeDetail = "Received message exceeds the maximum configured message size.";
    private const string HandlerExceptionDetail = "Exception was thrown by handler.";

    private readonly string _oversizeDetail = string.Create(CultureInfo.InvariantCulture,
        $"request message larger than the limit of {options.Value.MaxReceiveMessageSize} bytes (Match:MaxReceiveMessageSize)");

    /// <summary>Runs the call, then reads (and where needed rewrites) its status.</summary>
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!GrpcTrailersOnly.IsGrpc(http.Request))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var start = Stopwatch.GetTimestamp();
        await next(http).ConfigureAwait(false);

        // Trailers-only answers carry the status in the headers (still unsent, or sent by a middleware that answered
        // itself); others in the trailers.
        var trailers = http.Response.HasStarted ? http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers : null;
        var fields = trailers?.ContainsKey("grpc-status") == true ? trailers : http.Response.Headers;
        var code = StatusCode.Unknown;
        if (fields is not null && int.TryParse(fields["grpc-status"], NumberStyles.None, CultureInfo.InvariantCulture, out var raw))
        {
            code = fields.IsReadOnly ? (StatusCode)raw : MakePrecise(fields, (StatusCode)raw);
        }
        metrics.Record(http.Request.Path.Value ?? "", code, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    private StatusCode MakePrecise(IHeaderDictionary fields, StatusCode code)
    {
        var detail = Uri.UnescapeDataString(fields["grpc-message"].ToString());
        if (code == StatusCode.ResourceExhausted && detail == OversizeDetail)
        {
            fields["grpc-message"] = GrpcTrailersOnly.PercentEncode(_oversizeDetail);
        }
        else if (code == StatusCode.Unknown && detail.StartsWith(HandlerExceptionDetail, StringComparison.Ordinal))
        {
            // Our interceptor maps every handler exception, so this one came from reading the request.
            var reason = detail[HandlerExceptionDetail.Length..].Trim();
            fields["grpc-status"] = new StringValues(((int)StatusCode.Internal).ToString(CultureInfo.InvariantCulture));
            fields["grpc-message"] = GrpcTrailersOnly.PercentEncode(RpcErrors.UnparsableRequest(reason));
            return StatusCode.Internal;
        }
        return code;
    }
}
