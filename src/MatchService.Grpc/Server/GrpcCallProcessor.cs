using MatchService.Grpc.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MatchService.Grpc.Server;

/// <summary>
/// Runs one gRPC call over an ASP.NET Core request: protocol checks, deadline, cancellation, the handler, and the
/// status. Bad input gets a precise status (or HTTP error where gRPC does not apply) and a debug log line.
/// </summary>
public sealed partial class GrpcCallProcessor(
    IOptions<GrpcServerOptions> options,
    GrpcServiceRegistry registry,
    GrpcCallTracker tracker,
    ILogger<GrpcCallProcessor> logger,
    IEnumerable<IGrpcCallObserver> observers)
{
    private readonly IGrpcCallObserver[] _observers = observers.ToArray();
    private readonly GrpcServerOptions _options = options.Value;

    /// <summary>Processes a request for a bound method, or for an unknown path when <paramref name="binding"/> is null.</summary>
    public async Task ProcessAsync(HttpContext http, ServerMethodBinding? binding)
    {
        var request = http.Request;
        if (!HttpProtocol.IsHttp2(request.Protocol))
        {
            Reject(request.Path, $"protocol {request.Protocol}; gRPC needs HTTP/2");
            http.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            http.Response.Headers.Upgrade = "h2c";
            http.Response.Headers.Connection = "Upgrade";
            return;
        }
        if (!HttpMethods.IsPost(request.Method))
        {
            Reject(request.Path, $"method {request.Method}; gRPC needs POST");
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            http.Response.Headers.Allow = "POST";
            return;
        }
        if (!GrpcProtocol.IsProtoContentType(request.ContentType))
        {
            // The spec asks for 415 so that plain HTTP clients do not read a gRPC error as success.
            Reject(request.Path, $"content-type '{request.ContentType}'; expected application/grpc or application/grpc+proto");
            http.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        // The typed header properties are fields in Kestrel's header collections: no case-insensitive name lookup.
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers.GrpcAcceptEncoding = GrpcProtocol.SupportedEncodings;
        using var response = new GrpcResponse(http, _options.MaxSendMessageSize);

        if (binding is null)
        {
            var path = request.Path.Value ?? "";
            var slash = path.LastIndexOf('/');
            var service = slash > 0 ? path[1..slash] : path.TrimStart('/');
            var detail = registry.Contains(service)
                ? $"Method '{path[(slash + 1)..]}' is not defined in service {service}."
                : $"Service '{service}' is not served here (path '{path}').";
            Reject(request.Path, detail);
            await response.CompleteAsync(new Status(StatusCode.Unimplemented, detail), endStream: false).ConfigureAwait(false);
            return;
        }

        var encoding = request.Headers.GrpcEncoding.ToString();
        if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase)
            && !encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
        {
            var detail = $"Unsupported grpc-encoding '{encoding}'; supported: {GrpcProtocol.SupportedEncodings}.";
            Reject(request.Path, detail);
            await response.CompleteAsync(new Status(StatusCode.Unimplemented, detail), endStream: false).ConfigureAwait(false);
            return;
        }

        TimeSpan? timeout = null;
        var timeoutHeader = request.Headers.GrpcTimeout.ToString();
        if (timeoutHeader.Length > 0)
        {
            if (!GrpcTimeout.TryParse(timeoutHeader, out var parsed))
            {
                var detail = $"Invalid grpc-timeout '{timeoutHeader}': expected 1 to 8 digits and a unit H, M, S, m, u or n.";
                Reject(request.Path, detail);
                await response.CompleteAsync(new Status(StatusCode.Internal, detail), endStream: false).ConfigureAwait(false);
                return;
            }
            timeout = parsed;
        }

        // No clock read when nobody observes durations.
        var started = _observers.Length > 0 ? System.Diagnostics.Stopwatch.GetTimestamp() : 0;
        var counted = !binding.IsDrainExempt;
        if (counted && !tracker.TryEnter())
        {
            Reject(request.Path, "server is draining");
            var refused = new Status(StatusCode.Unavailable, "The server is shutting down and accepts no new calls; retry on another instance.");
            await response.CompleteAsync(refused, endStream: false).ConfigureAwait(false);
            Observe(binding, refused, started);
            return;
        }
        try
        {
            Observe(binding, await RunAsync(http, binding, response, encoding, timeout).ConfigureAwait(false), started);
        }
        finally
        {
            if (counted)
            {
                tracker.Exit();
            }
        }
    }

    /// <summary>Settles, once when a method is mapped, what the options say about its calls.</summary>
    internal void Prepare(ServerMethodBinding binding) =>
        binding.IsDrainExempt = _options.DrainExemptServices.Contains(binding.Descriptor.Service.FullName);

    private void Observe(ServerMethodBinding binding, Status status, long started)
    {
        if (_observers.Length == 0)
        {
            return;
        }
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        foreach (var observer in _observers)
        {
            observer.OnCallCompleted(binding.Name, status, elapsed);
        }
    }

    /// <summary>Runs the handler and sends its status; returns the status the call ended with.</summary>
    // ValueTask: Status is a struct, so a Task<Status> would be allocated even when the call completes synchronously.
    private async ValueTask<Status> RunAsync(HttpContext http, ServerMethodBinding binding, GrpcResponse response, string encoding, TimeSpan? timeout)
    {
        // Streaming calls may be long and idle: Kestrel's body size and minimum data rate limits do not apply.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = null;
        }
        if (http.Features.Get<IHttpMinRequestBodyDataRateFeature>() is { } rateFeature)
        {
            rateFeature.MinDataRate = null;
        }

        if (timeout is not null || binding.Descriptor.IsServerStreaming)
        {
            // Streamed writes, or a deadline status sent while the handler may still write, can overlap.
            response.EnableWriteLock();
        }
        using var deadlineCts = timeout is { } t ? new CancellationTokenSource(t) : null;
        // Without a deadline the call's token is the request's own abort token (no linked source per call).
        using var callCts = deadlineCts is null ? null : CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, deadlineCts.Token);
        var deadline = timeout is { } d ? DateTime.UtcNow + d : DateTime.MaxValue;
        var frames = new MessageFrameReader(http.Request.BodyReader, _options.MaxReceiveMessageSize, encoding.Length > 0 ? encoding : null, "request");
        var call = new ServerCallContext(http, binding.Path, deadline, ReadMetadata, frames, response, callCts?.Token ?? http.RequestAborted);

        Status status;
        if (deadlineCts is null)
        {
            status = await InvokeHandlerAsync(http, binding, call, deadlineCts, timeout).ConfigureAwait(false);
        }
        else
        {
            var handlerTask = InvokeHandlerAsync(http, binding, call, deadlineCts, timeout).AsTask();
            var deadlinePassed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var registration = deadlineCts.Token.Register(() => deadlinePassed.TrySetResult()).ConfigureAwait(false);
            if (await Task.WhenAny(handlerTask, deadlinePassed.Task).ConfigureAwait(false) != handlerTask)
            {
                // Answer at the deadline even when the handler is slow to notice its cancelled token.
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    LogDeadline(logger, binding.Path, timeout?.TotalMilliseconds ?? 0);
                }
                var expired = DeadlineStatus(timeout);
                await TryCompleteAsync(http, response, expired, endStream: true).ConfigureAwait(false);
                await handlerTask.ConfigureAwait(false);
                return expired;
            }
            status = await handlerTask.ConfigureAwait(false);
        }
        if (http.RequestAborted.IsCancellationRequested)
        {
            return status.StatusCode == StatusCode.Cancelled ? status : new Status(StatusCode.Cancelled, "The client cancelled the call.");
        }
        await TryCompleteAsync(http, response, status, endStream: false).ConfigureAwait(false);
        return status;
    }

    private async ValueTask<Status> InvokeHandlerAsync(HttpContext http, ServerMethodBinding binding, ServerCallContext call, CancellationTokenSource? deadlineCts, TimeSpan? timeout)
    {
        try
        {
            await binding.InvokeAsync(call).ConfigureAwait(false);
            return call.Status;
        }
        catch (RpcException ex)
        {
            foreach (var entry in ex.Trailers)
            {
                call.Response.Trailers.Add(entry);
            }
            if (ex.StatusCode is StatusCode.Internal or StatusCode.ResourceExhausted or StatusCode.Unimplemented)
            {
                Reject(http.Request.Path, ex.Status.Detail);
            }
            return ex.Status;
        }
        catch (Exception) when (deadlineCts?.IsCancellationRequested == true)
        {
            return DeadlineStatus(timeout);
        }
        catch (Exception) when (http.RequestAborted.IsCancellationRequested)
        {
            LogClientCancelled(logger, binding.Path);
            return new Status(StatusCode.Cancelled, "The client cancelled the call.");
        }
        catch (Exception ex)
        {
            var id = http.TraceIdentifier;
            if (logger.IsEnabled(LogLevel.Error))
            {
                LogHandlerException(logger, ex, binding.Path, id);
            }
            return new Status(_options.UnhandledExceptionStatus, $"The handler of {binding.Name} failed; see the server log for request {id}.");
        }
    }

    private async Task TryCompleteAsync(HttpContext http, GrpcResponse response, Status status, bool endStream)
    {
        try
        {
            await response.CompleteAsync(status, endStream).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            // The stream is gone (reset by the client or the connection closed): nobody to tell.
            Reject(http.Request.Path, $"status {status.StatusCode} not sent: {ex.Message}");
        }
    }

    private static Status DeadlineStatus(TimeSpan? timeout) =>
        new(StatusCode.DeadlineExceeded, timeout is { } t
            ? $"Deadline exceeded: the call did not finish within its grpc-timeout of {t.TotalMilliseconds:0.###} ms."
            : "Deadline exceeded.");

    private static Metadata ReadMetadata(IHeaderDictionary headers)
    {
        var metadata = new Metadata();
        foreach (var (name, values) in headers)
        {
            if (GrpcProtocol.IsReservedHeader(name))
            {
                continue;
            }
            foreach (var value in values)
            {
                if (value is null)
                {
                    continue;
                }
                if (Metadata.Entry.IsBinaryKey(name))
                {
                    if (TryDecodeBase64(value, out var bytes))
                    {
                        metadata.Add(name, bytes);
                    }
                }
                else
                {
                    metadata.Add(name, value);
                }
            }
        }
        return metadata;
    }

    internal static bool TryDecodeBase64(string value, out byte[] bytes)
    {
        var padded = value.Trim();
        if (padded.Length % 4 != 0)
        {
            padded = padded.PadRight(padded.Length + (4 - (padded.Length % 4)), '=');
        }
        try
        {
            bytes = Convert.FromBase64String(padded);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }

    private void Reject(PathString path, string reason)
    {
        if (logger.IsEnabled(LogLevel.Debug))
        {
            LogRejected(logger, path.Value, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "gRPC call {Path} rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string? path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "gRPC call {Path} passed its deadline of {TimeoutMs} ms")]
    private static partial void LogDeadline(ILogger logger, string path, double timeoutMs);

    [LoggerMessage(Level = LogLevel.Debug, Message = "gRPC call {Path} cancelled by the client")]
    private static partial void LogClientCancelled(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "gRPC handler of {Path} threw (request {RequestId})")]
    private static partial void LogHandlerException(ILogger logger, Exception exception, string path, string requestId);
}
