using Grpc.Core;
using Grpc.Core.Interceptors;
using MatchService.Contracts.V1;

namespace MatchService.Contracts.Client;

/// <summary>
/// Sends <c>match-inputs: vectors</c> (<see cref="CallInputs"/>) with a CompareWithConfidence that carries no image, so
/// a server that decides face calls at their headers looks at its first bytes instead and never refuses it for load.
/// Callers of this library need not know the header; other clients (grpcurl, other languages) send it themselves.
/// </summary>
internal sealed class PrecomputedComparisonMarker : Interceptor
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Marked(request, context));

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context,
        BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
        continuation(request, Marked(request, context));

    /// <summary>True when neither side of <paramref name="request"/> is an image.</summary>
    private static bool CarriesNoImage(CompareRequest request) =>
        request.First?.InputCase != CompareInput.InputOneofCase.Image && request.Second?.InputCase != CompareInput.InputOneofCase.Image;

    private static ClientInterceptorContext<TRequest, TResponse> Marked<TRequest, TResponse>(TRequest request, ClientInterceptorContext<TRequest, TResponse> context)
        where TRequest : class
        where TResponse : class
    {
        return request is CompareRequest comparison && CarriesNoImage(comparison)
            ? new(context.Method, context.Host, MatchServiceChannel.WithHeaderUnlessSet(context.Options, CallInputs.Header, CallInputs.Vectors))
            : context;
    }
}
