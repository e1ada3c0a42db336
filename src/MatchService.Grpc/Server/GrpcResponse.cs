using Google.Protobuf;
using MatchService.Grpc.Framing;
using Microsoft.AspNetCore.Http;

namespace MatchService.Grpc.Server;

/// <summary>
/// The response side of one call: serialises writes, sends headers once, and ends the call with a status either as
/// trailers or, when nothing was sent yet, as a trailers-only response.
/// </summary>
internal sealed class GrpcResponse(HttpContext httpContext, int maxSendMessageSize) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private bool _completed;
    private bool _bodyWritten;

    public Metadata Trailers { get; } = new();

    public bool IsCompleted => _completed;

    public async Task WriteHeadersAsync(Metadata headers)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
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
            _lock.Release();
        }
    }

    public async Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        var size = MessageFrameWriter.FramedSize(message, maxSendMessageSize, "response");
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            EnsureOpen();
            var writer = httpContext.Response.BodyWriter;
            MessageFrameWriter.Write(message, writer.GetSpan(size)[..size]);
            writer.Advance(size);
            _bodyWritten = true;
            if (flush)
            {
                await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Sends the status; false when the call was completed already.</summary>
    public async Task<bool> CompleteAsync(Status status, bool endStream)
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_completed)
            {
                return false;
            }
            _completed = true;
            var response = httpContext.Response;
            var code = ((int)status.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!response.HasStarted && !_bodyWritten)
            {
                // Trailers-only: the status travels in the only HEADERS frame, which also ends the stream.
                response.Headers[GrpcProtocol.StatusHeader] = code;
                if (status.Detail.Length > 0)
                {
                    response.Headers[GrpcProtocol.MessageHeader] = GrpcMessageText.Encode(status.Detail);
                }
                foreach (var entry in Trailers)
                {
                    response.Headers.Append(entry.Key, entry.Value);
                }
            }
            else
            {
                response.AppendTrailer(GrpcProtocol.StatusHeader, code);
                if (status.Detail.Length > 0)
                {
                    response.AppendTrailer(GrpcProtocol.MessageHeader, GrpcMessageText.Encode(status.Detail));
                }
                foreach (var entry in Trailers)
                {
                    response.AppendTrailer(entry.Key, entry.Value);
                }
            }
            if (endStream)
            {
                await response.CompleteAsync().ConfigureAwait(false);
            }
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    public void Dispose() => _lock.Dispose();

    private void EnsureOpen()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The call is complete (status sent, deadline passed or cancelled); no more writes.");
        }
    }
}
