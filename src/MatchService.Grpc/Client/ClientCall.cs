using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using MatchService.Grpc.Framing;

namespace MatchService.Grpc.Client;

/// <summary>
/// One call on the client: sends the request over HTTP/2, reads response frames and the status (from trailers, or
/// from the headers of a trailers-only response), and maps transport failures, deadlines and cancellation to statuses.
/// </summary>
internal sealed class ClientCall<TRequest, TResponse> : IClientCallState
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    private readonly GrpcChannel _channel;
    private readonly Method<TRequest, TResponse> _method;
    private readonly CallOptions _options;
    private readonly bool _gzip;
    private readonly CancellationTokenSource _callCts;
    private readonly CancellationTokenSource? _deadlineCts;
    private readonly CancellationTokenRegistration _userRegistration;
    private readonly TaskCompletionSource<Metadata> _headers = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task<HttpResponseMessage>? _send;
    private Task<MessageFrameReader?>? _frames;
    private StreamingRequestContent? _requestStream;
    private HttpResponseMessage? _response;
    private Status? _status;
    private Metadata _trailers = new();

    public ClientCall(GrpcChannel channel, Method<TRequest, TResponse> method, CallOptions options)
    {
        _channel = channel;
        _method = method;
        _options = options;
        _gzip = channel.Options.RequestCompression == RequestCompression.Gzip;
        _callCts = new CancellationTokenSource();
        _userRegistration = options.CancellationToken.Register(() => _callCts.Cancel());
        if (options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            var remaining = deadline.ToUniversalTime() - DateTime.UtcNow;
            _deadlineCts = new CancellationTokenSource();
            _deadlineCts.Token.Register(() => _callCts.Cancel());
            if (remaining <= TimeSpan.Zero)
            {
                _deadlineCts.Cancel();
            }
            else
            {
                _deadlineCts.CancelAfter(remaining);
            }
        }
    }

    public Task<Metadata> ResponseHeadersAsync => _headers.Task;

    public Status GetStatus() => _status ?? throw new InvalidOperationException("The call has not finished yet.");

    public Metadata GetTrailers() => _status is null ? throw new InvalidOperationException("The call has not finished yet.") : _trailers;

    public void StartUnary(TRequest request)
    {
        var content = new ByteArrayContent(Frame(request));
        content.Headers.TryAddWithoutValidation("content-type", GrpcProtocol.ContentType);
        Start(content);
    }

    public void StartStreaming()
    {
        _requestStream = new StreamingRequestContent();
        Start(_requestStream);
    }

    public async Task WriteAsync(TRequest message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_status is { } finished)
        {
            throw new RpcException(finished.StatusCode == StatusCode.OK
                ? new Status(StatusCode.Internal, "The call finished; no more requests can be written.")
                : finished, _trailers);
        }
        var frame = Frame(message);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callCts.Token);
        try
        {
            await _requestStream!.WriteAsync(frame, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not RpcException)
        {
            throw Fail(ex);
        }
    }

    private byte[] Frame(TRequest message) => _gzip
        ? MessageFrameWriter.ToGzipArray(message, _channel.Options.MaxSendMessageSize, "request")
        : MessageFrameWriter.ToArray(message, _channel.Options.MaxSendMessageSize, "request");

    public Task CompleteRequestAsync()
    {
        _requestStream?.Complete();
        return Task.CompletedTask;
    }

    /// <summary>The next response message, or null once the call ended with a status (which is then set).</summary>
    public async Task<TResponse?> ReadAsync(CancellationToken cancellationToken)
    {
        if (_status is not null)
        {
            return null;
        }
        var frames = await GetFramesAsync().ConfigureAwait(false);
        if (frames is null)
        {
            return null;
        }
        TResponse? response;
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _callCts.Token))
        {
            try
            {
                response = await frames.ReadAsync(_method.ResponseParser, linked.Token).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                Finish(ex.Status, new Metadata());
                _callCts.Cancel();
                throw;
            }
            catch (InvalidProtocolBufferException ex)
            {
                var status = new Status(StatusCode.Internal, $"Failed to parse the response of {_method.FullName}: {ex.Message}");
                Finish(status, new Metadata());
                _callCts.Cancel();
                throw new RpcException(status);
            }
            catch (Exception ex)
            {
                throw Fail(ex);
            }
        }
        if (response is null)
        {
            ReadStatusFromTrailers();
        }
        return response;
    }

    /// <summary>Exactly one response then an OK status (unary and client streaming).</summary>
    public async Task<TResponse> ReadSingleResponseAsync()
    {
        var response = await ReadAsync(CancellationToken.None).ConfigureAwait(false);
        var extra = response is null ? null : await ReadAsync(CancellationToken.None).ConfigureAwait(false);
        var status = _status!.Value;
        if (status.StatusCode != StatusCode.OK)
        {
            throw new RpcException(status, _trailers);
        }
        if (response is null || extra is not null)
        {
            throw new RpcException(StatusCode.Unimplemented,
                $"{_method.FullName} must return exactly one response message; the server sent {(response is null ? "none" : "more")}.");
        }
        return response;
    }

    public void Dispose()
    {
        if (_status is null)
        {
            _callCts.Cancel();
        }
        _requestStream?.Abort();
        _userRegistration.Dispose();
        _response?.Dispose();
        _deadlineCts?.Dispose();
        _callCts.Dispose();
    }

    private void Start(HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_channel.Address, _method.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        var headers = request.Headers;
        headers.TryAddWithoutValidation("te", "trailers");
        headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (_gzip)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.EncodingHeader, "gzip");
        }
        headers.TryAddWithoutValidation("user-agent", GrpcChannel.UserAgent);
        if (_options.Deadline is { } deadline && deadline != DateTime.MaxValue)
        {
            headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcTimeout.Format(deadline.ToUniversalTime() - DateTime.UtcNow));
        }
        AddMetadata(headers, _channel.Options.DefaultHeaders);
        AddMetadata(headers, _options.Headers);
        if (_deadlineCts?.IsCancellationRequested == true)
        {
            // The deadline passed before the call started: fail without sending.
            _send = Task.FromCanceled<HttpResponseMessage>(_deadlineCts.Token);
            return;
        }
        _send = _channel.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _callCts.Token);
    }

    private static void AddMetadata(HttpRequestHeaders headers, Metadata? metadata)
    {
        if (metadata is null)
        {
            return;
        }
        foreach (var entry in metadata)
        {
            headers.TryAddWithoutValidation(entry.Key, entry.Value);
        }
    }

    private Task<MessageFrameReader?> GetFramesAsync() => _frames ??= OpenResponseAsync();

    private async Task<MessageFrameReader?> OpenResponseAsync()
    {
        HttpResponseMessage response;
        try
        {
            response = await _send!.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _headers.TrySetException(Fail(ex));
            throw Fail(ex);
        }
        _response = response;
        var headerMetadata = ToMetadata(response.Headers);
        _headers.TrySetResult(headerMetadata);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var status = new Status(FromHttpStatus(response.StatusCode),
                $"HTTP status {(int)response.StatusCode} {response.ReasonPhrase} from {_method.Path} (not a gRPC response).");
            Finish(status, headerMetadata);
            throw new RpcException(status, headerMetadata);
        }
        if (TryGetStatus(response.Headers, out var trailersOnly))
        {
            Finish(trailersOnly, headerMetadata);
            return null;
        }
        var contentType = response.Content.Headers.ContentType?.ToString();
        if (!GrpcProtocol.IsGrpcContentType(contentType))
        {
            var status = new Status(StatusCode.Unknown, $"The response content-type '{contentType}' is not application/grpc.");
            Finish(status, headerMetadata);
            throw new RpcException(status);
        }
        var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
        var stream = await response.Content.ReadAsStreamAsync(_callCts.Token).ConfigureAwait(false);
        return new MessageFrameReader(PipeReader.Create(stream), _channel.Options.MaxReceiveMessageSize, encoding, "response");
    }

    private void ReadStatusFromTrailers()
    {
        var trailers = _response!.TrailingHeaders;
        if (TryGetStatus(trailers, out var status))
        {
            Finish(status, ToMetadata(trailers));
        }
        else
        {
            Finish(new Status(StatusCode.Internal, $"The response of {_method.Path} ended without a grpc-status trailer."), ToMetadata(trailers));
        }
    }

    private static bool TryGetStatus(HttpHeaders headers, out Status status)
    {
        status = default;
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var codes))
        {
            return false;
        }
        var text = codes.FirstOrDefault() ?? "";
        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? GrpcMessageText.Decode(messages.FirstOrDefault()) : "";
        status = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code)
            ? new Status((StatusCode)code, message)
            : new Status(StatusCode.Unknown, $"Invalid grpc-status '{text}' ({message}).");
        return true;
    }

    private void Finish(Status status, Metadata trailers)
    {
        if (_status is null)
        {
            _status = status;
            _trailers = trailers;
            _headers.TrySetResult(new Metadata());
        }
    }

    /// <summary>Maps a transport failure (or our own cancellation) to the call's status.</summary>
    private RpcException Fail(Exception ex)
    {
        Status status;
        if (_deadlineCts?.IsCancellationRequested == true)
        {
            status = new Status(StatusCode.DeadlineExceeded, $"Deadline exceeded before {_method.FullName} completed.");
        }
        else if (_options.CancellationToken.IsCancellationRequested || ex is OperationCanceledException)
        {
            status = new Status(StatusCode.Cancelled, $"Call {_method.FullName} was cancelled.");
        }
        else
        {
            status = new Status(StatusCode.Unavailable, $"Transport failure on {_method.FullName}: {ex.GetBaseException().Message}");
        }
        Finish(status, new Metadata());
        _callCts.Cancel();
        return new RpcException(_status!.Value, _trailers);
    }

    private static Metadata ToMetadata(HttpHeaders headers)
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
                if (Metadata.Entry.IsBinaryKey(name))
                {
                    if (Server.GrpcCallProcessor.TryDecodeBase64(value, out var bytes))
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

    private static StatusCode FromHttpStatus(HttpStatusCode code) => (int)code switch
    {
        400 => StatusCode.Internal,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.Unimplemented,
        429 or 502 or 503 or 504 => StatusCode.Unavailable,
        _ => StatusCode.Unknown,
    };
}
