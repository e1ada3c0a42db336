using Google.Protobuf;

namespace MatchService.Grpc.Server;

/// <summary>The request side of a call: its messages, read and parsed as the handler asks for them.</summary>
public sealed partial class ServerCallContext
{
    /// <summary>The next request message, or null at the end of the request stream.</summary>
    internal ValueTask<TRequest?> ReadRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        // Completes without a state machine when the frame is already buffered (the usual unary case).
        var read = _requests.ReadAsync(parser, cancellationToken);
        return read.IsCompletedSuccessfully ? read : WithContextAsync(read);
    }

    private async ValueTask<TRequest?> WithContextAsync<TRequest>(ValueTask<TRequest?> read)
        where TRequest : class, IMessage<TRequest>
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new RpcException(StatusCode.Internal,
                $"Failed to parse request message {_requests.MessagesRead} of {Method}: {ex.Message}");
        }
    }

    /// <summary>Exactly one request message (unary and server streaming); else UNIMPLEMENTED (cardinality violation).</summary>
    internal ValueTask<TRequest> ReadSingleRequestAsync<TRequest>(MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var first = ReadRequestAsync(parser, cancellationToken);
        if (!first.IsCompletedSuccessfully)
        {
            return ReadSingleSlowAsync(first, parser, cancellationToken);
        }
        try
        {
            // Reading on to the end of the stream is what tells a second message apart from none.
            var request = first.Result ?? throw NoRequest();
            var extra = ReadRequestAsync(parser, cancellationToken);
            if (!extra.IsCompletedSuccessfully)
            {
                return EnsureEndAsync(request, extra);
            }
            return extra.Result is null ? new(request) : throw ExtraRequest();
        }
        catch (RpcException ex)
        {
            return ValueTask.FromException<TRequest>(ex);
        }
    }

    private async ValueTask<TRequest> ReadSingleSlowAsync<TRequest>(ValueTask<TRequest?> first, MessageParser<TRequest> parser, CancellationToken cancellationToken)
        where TRequest : class, IMessage<TRequest>
    {
        var request = await first.ConfigureAwait(false) ?? throw NoRequest();
        return await EnsureEndAsync(request, ReadRequestAsync(parser, cancellationToken)).ConfigureAwait(false);
    }

    private async ValueTask<TRequest> EnsureEndAsync<TRequest>(TRequest request, ValueTask<TRequest?> extra)
        where TRequest : class, IMessage<TRequest> =>
        await extra.ConfigureAwait(false) is null ? request : throw ExtraRequest();

    private RpcException NoRequest() =>
        new(StatusCode.Unimplemented, $"{Method} expects exactly one request message; the request stream had none.");

    private RpcException ExtraRequest() =>
        new(StatusCode.Unimplemented, $"{Method} expects exactly one request message; the request stream had more.");
}
