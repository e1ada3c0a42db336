using System.Globalization;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Inference.Batching;
using MatchService.Matching;

namespace MatchService.Server.Hosting;

/// <summary>
/// Maps what the pipeline throws to the gRPC status a client can act on: a full model queue, or a deadline the queue
/// cannot meet (admission control), is RESOURCE_EXHAUSTED with
/// a <c>grpc-retry-pushback-ms</c> trailer, an item past its deadline DEADLINE_EXCEEDED, a cancelled call CANCELLED,
/// bad input INVALID_ARGUMENT naming the field or image, a failed batch UNAVAILABLE (retryable on another pod).
/// </summary>
internal static class RpcErrors
{
    /// <summary>The trailer that tells a client how long to back off (gRPC retry design A6).</summary>
    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";

    /// <summary>The status for <paramref name="error"/>, or null when it is not one the pipeline knows (a bug: INTERNAL).</summary>
    public static RpcException? Translate(Exception error, CancellationToken callToken = default) => error switch
    {
        RpcException rpc => rpc,
        ModelOverloadedException overloaded => new RpcException(new Status(StatusCode.ResourceExhausted, overloaded.Message),
            new Metadata { { RetryPushbackTrailer, overloaded.RetryPushbackMs.ToString(CultureInfo.InvariantCulture) } }),
        DeadlineExceededException late => new RpcException(new Status(StatusCode.DeadlineExceeded, late.Message)),
        OperationCanceledException when callToken.IsCancellationRequested => new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled")),
        InferenceFailedException failed => new RpcException(new Status(StatusCode.Unavailable, failed.Message)),
        ObjectDisposedException disposed => new RpcException(new Status(StatusCode.Unavailable, $"the service is shutting down: {disposed.Message}")),
        ImageDecodeException bad => new RpcException(new Status(StatusCode.InvalidArgument, $"image '{bad.ImageId ?? "?"}': {bad.Message}")),
        MatchingArgumentException arg => new RpcException(new Status(StatusCode.InvalidArgument, $"{arg.Field}: {arg.Reason}")),
        _ => null,
    };

    /// <summary>
    /// The message for a request that does not parse: the same words whether grpc-dotnet read it before any handler
    /// (unary, <c>RpcOutcomeMiddleware</c>) or the handler did (streams, <c>RpcErrorInterceptor</c>).
    /// </summary>
    public static string UnparsableRequest(string reason) => $"failed to parse the request message: {reason}";
}
