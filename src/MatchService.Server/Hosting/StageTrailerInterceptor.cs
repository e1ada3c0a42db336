using Grpc.Core;
using Grpc.Core.Interceptors;
using MatchService.Contracts;

namespace MatchService.Server.Hosting;

/// <summary>
/// Sends the call's <see cref="StageClock"/> (when its handler used one) in the <c>match-stage-ms</c> trailer, on
/// success and on failure alike, so that benchmarks can split a call's latency without access to the server.
/// </summary>
internal sealed class StageTrailerInterceptor : Interceptor
{
    private const string MatchServicePrefix = "/match.v1.MatchService/";

    /// <inheritdoc />
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        // Only MatchService's handlers time stages: health and reflection go straight through, at no cost per call.
        return context.Method.StartsWith(MatchServicePrefix, StringComparison.Ordinal)
            ? WithTrailerAsync(continuation(request, context), context)
            : continuation(request, context);
    }

    private static async Task<TResponse> WithTrailerAsync<TResponse>(Task<TResponse> call, ServerCallContext context)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        finally
        {
            WriteTrailer(context);
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
        finally
        {
            WriteTrailer(context);
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
        finally
        {
            WriteTrailer(context);
        }
    }

    // Server streaming (health Watch) keeps the base behaviour: no stages there.
    private static void WriteTrailer(ServerCallContext context)
    {
        if (StageClock.Find(context) is { } clock)
        {
            context.ResponseTrailers.Add(StageTrailer.Name, clock.Format());
        }
    }
}
