using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Client;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>The match.v1 methods as client-side <see cref="Method{TRequest, TResponse}"/> values.</summary>
public static class MatchCalls
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = MatchServiceReflection.Descriptor.Services[0];

    /// <summary>CompareWithConfidence.</summary>
    public static Method<CompareRequest, CompareResponse> Compare { get; } = GrpcMethod.Create<CompareRequest, CompareResponse>(Service, "CompareWithConfidence");

    /// <summary>Verify.</summary>
    public static Method<VerifyRequest, VerifyResponse> Verify { get; } = GrpcMethod.Create<VerifyRequest, VerifyResponse>(Service, "Verify");

    /// <summary>Calls CompareWithConfidence.</summary>
    public static Task<CompareResponse> CompareAsync(this GrpcChannel channel, CompareRequest request, CancellationToken ct = default) =>
        channel.AsyncUnaryCall(Compare, request, new CallOptions(CancellationToken: ct)).ResponseAsync;

    /// <summary>Calls Verify with the given messages in order.</summary>
    public static async Task<VerifyResponse> VerifyAsync(this GrpcChannel channel, IEnumerable<VerifyRequest> messages, CancellationToken ct = default)
    {
        using var call = channel.AsyncClientStreamingCall(Verify, new CallOptions(CancellationToken: ct));
        foreach (var m in messages)
        {
            await call.RequestStream.WriteAsync(m, ct);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}
