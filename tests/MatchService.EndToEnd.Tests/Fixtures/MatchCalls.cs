using Grpc.Net.Client;
using MatchService.Contracts.V1;
using V1 = MatchService.Contracts.V1;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>The face RPCs on a channel, through the generated client.</summary>
public static class MatchCalls
{
    /// <summary>Calls CompareWithConfidence.</summary>
    public static async Task<CompareResponse> CompareAsync(this GrpcChannel channel, CompareRequest request, CancellationToken ct = default) =>
        await new V1.MatchService.MatchServiceClient(channel).CompareWithConfidenceAsync(request, cancellationToken: ct);

    /// <summary>Calls Verify with the given messages in order.</summary>
    public static async Task<VerifyResponse> VerifyAsync(this GrpcChannel channel, IEnumerable<VerifyRequest> messages, CancellationToken ct = default)
    {
        using var call = new V1.MatchService.MatchServiceClient(channel).Verify(cancellationToken: ct);
        foreach (var m in messages)
        {
            await call.RequestStream.WriteAsync(m, ct);
        }

        await call.RequestStream.CompleteAsync();
        return await call.ResponseAsync;
    }
}
