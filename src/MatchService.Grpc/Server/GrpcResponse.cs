using Google.Protobuf;
using MatchService.Grpc.Framing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MatchService.Grpc.Server;

/// <summary>
/// The response side of one call: serialises writes, sends headers once, and ends the call with a status either as
/// trailers or, when nothing was sent yet, as a trailers-only response.
/// </summary>
internal sealed class GrpcResponse(HttpContext httpContext, int maxSendMessageSize) : IDisposable
{
    private static readonly Task<bool> s_completed = Task.FromResult(true);
    private static readonly Task<bool> s_alreadyCompleted = Task.FromResult(false);

    // Null until EnableWriteLock: a unary call without deadline writes its message and then its status from one
    // flow, so it skips the semaphore (an allocation and two lock round trips per call).
    private SemaphoreSlim? _lock;
    private Metadata? _trailers;
    private bool _completed;
    private bool _bodyWritten;

    /// <summary>Trailers sent with the status; created on first use (most calls send none).</summary>
    public Metadata Trailers => _trailers ??= new();

    public bool IsCompleted => _completed;

    /// <summary>
    /// Serialises writes from now on. Called before the handler starts when writes can overlap: streamed responses,
    /// and a deadline, whose status may be sent while the handler is still writing.
    /// </summary>
    public void EnableWriteLock() => _lock ??= new SemaphoreSlim(1, 1);

    public async Task WriteHeadersAsync(Metadata headers)
    {
        await EnterAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            EnsureOpen();
            if (httpContext.Response.HasStarted)
            {
                throw new InvalidOperationException("Response headers were sent already; they can be written once, before any message.");
            }
            foreach (var entry in headers)
            {
                httpContext.Response.Headers.Append(entry.Key, entry.Value);
            }
            await httpContext.Response.StartAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock?.Release();
        }
    }

    public Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        if (_lock is not null || flush)
        {
            return WriteMessageLockedAsync(message, flush, cancellationToken);
        }
        // Unlocked and not flushed: nothing to wait for; a failure still comes back as a faulted task.
        try
        {
            WriteFrame(message);
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private async Task WriteMessageLockedAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        var size = MessageFrameWriter.FramedSize(message, maxSendMessageSize, "response");
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            WriteFrame(message, size);
            if (flush)
            {
                await httpContext.Response.BodyWriter.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock?.Release();
        }
    }

    private void WriteFrame(IMessage message, int? framedSize = null)
    {
        var size = framedSize ?? MessageFrameWriter.FramedSize(message, maxSendMessageSize, "response");
        EnsureOpen();
        var writer = httpContext.Response.BodyWriter;
        MessageFrameWriter.Write(message, writer.GetSpan(size)[..size]);
        writer.Advance(size);
        _bodyWritten = true;
    }

    /// <summary>Sends the status; false when the call was completed already.</summary>
    public Task<bool> CompleteAsync(Status status, bool endStream)
    {
        if (_lock is not null || endStream)
        {
            return CompleteLockedAsync(status, endStream);
        }
        try
        {
            return WriteStatus(status) ? s_completed : s_alreadyCompleted;
        }
        catch (Exception ex)
        {
            return Task.FromException<bool>(ex);
        }
    }

    private async Task<bool> CompleteLockedAsync(Status status, bool endStream)
    {
        await EnterAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            if (!WriteStatus(status))
            {
                return false;
            }
            if (endStream)
            {
                await httpContext.Response.CompleteAsync().ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            _lock?.Release();
        }
    }

    /// <summary>Puts the status in the headers (trailers-only) or the trailers; false when sent already.</summary>
    private bool WriteStatus(Status status)
    {
        if (_completed)
        {
            return false;
        }
        _completed = true;
        var response = httpContext.Response;
        // Trailers-only when nothing was sent: the status travels in the only HEADERS frame, which ends the stream.
        var target = !response.HasStarted && !_bodyWritten ? response.Headers : ResponseTrailers(httpContext);
        target.GrpcStatus = StatusCodeText(status.StatusCode);
        if (status.Detail.Length > 0)
        {
            target.GrpcMessage = GrpcMessageText.Encode(status.Detail);
        }
        if (_trailers is { Count: > 0 })
        {
            foreach (var entry in _trailers)
            {
                target.Append(entry.Key, entry.Value);
            }
        }
        return true;
    }

    private static IHeaderDictionary ResponseTrailers(HttpContext http) =>
        http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers is { IsReadOnly: false } trailers
            ? trailers
            : throw new InvalidOperationException("The response no longer accepts trailers (or the protocol has none).");

    // The 17 defined codes as text, so that the status trailer costs no formatting per call.
    private static readonly string[] s_codeTexts = [.. Enumerable.Range(0, 17).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    private static string StatusCodeText(StatusCode code) =>
        (uint)code < (uint)s_codeTexts.Length ? s_codeTexts[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private Task EnterAsync(CancellationToken cancellationToken) => _lock?.WaitAsync(cancellationToken) ?? Task.CompletedTask;

    public void Dispose() => _lock?.Dispose();

    private void EnsureOpen()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The call is complete (status sent, deadline passed or cancelled); no more writes.");
        }
    }
}
