using Grpc.Core;
using Grpc.Core.Interceptors;

namespace MatchService.Server.Hosting;

/// <summary>
/// Turns what a handler throws into the status a client can act on (<see cref="RpcErrors.Translate"/>: a full queue
/// is RESOURCE_EXHAUSTED with <c>grpc-retry-pushback-ms</c>, bad input INVALID_ARGUMENT naming the image or field…);
/// anything else is a bug: INTERNAL without internals, and the exception in the server log.
/// </summary>
internal sealed partial class RpcErrorInterceptor(ILogger<RpcErrorInterceptor> logger) : Interceptor
{
    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        Task<TResponse> call;
        try
        {
            call = continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }

        // A call that already succeeded (health Check) needs no await, and so no state machine per call.
        return call.IsCompletedSuccessfully ? call : AwaitUnaryAsync(call, context);
    }

    private async Task<TResponse> AwaitUnaryAsync<TResponse>(Task<TResponse> call, ServerCallContext context)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            return await continuation(requestStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(request, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    /// <inheritdoc />
    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream,
        IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        try
        {
            await continuation(requestStream, responseStream, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception error, ServerCallContext context)
    {
        if (RpcErrors.Translate(error, context.CancellationToken) is { } known)
        {
            return known;
        }
        if (error is Google.Protobuf.InvalidProtocolBufferException parse)
        {
            // A streamed request message that does not parse (unary ones are read before any interceptor).
            return new RpcException(new Status(StatusCode.Internal, RpcErrors.UnparsableRequest(parse.Message)));
        }
        LogFailed(logger, error, context.Method);
        return new RpcException(new Status(StatusCode.Internal, "internal error; the server log has the details"));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} failed with an unexpected exception")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method);
}
