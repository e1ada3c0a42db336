using Grpc.Health.V1;
using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Health;

namespace MatchService.Client;

/// <summary>Typed methods of <c>match.v1.MatchService</c> and <c>grpc.health.v1.Health</c>.</summary>
public static class MatchServiceMethods
{
    private static readonly Google.Protobuf.Reflection.ServiceDescriptor Service = MatchServiceReflection.Descriptor.Services[0];

    /// <summary>Verify (client streaming).</summary>
    public static readonly Method<VerifyRequest, VerifyResponse> Verify = GrpcMethod.Create<VerifyRequest, VerifyResponse>(Service, "Verify");

    /// <summary>CompareWithConfidence (unary).</summary>
    public static readonly Method<CompareRequest, CompareResponse> CompareWithConfidence =
        GrpcMethod.Create<CompareRequest, CompareResponse>(Service, "CompareWithConfidence");

    /// <summary>EmbedPersons (bidirectional).</summary>
    public static readonly Method<EmbedRequest, EmbedResponse> EmbedPersons = GrpcMethod.Create<EmbedRequest, EmbedResponse>(Service, "EmbedPersons");

    /// <summary>RankCandidates (unary).</summary>
    public static readonly Method<RankRequest, RankResponse> RankCandidates = GrpcMethod.Create<RankRequest, RankResponse>(Service, "RankCandidates");

    /// <summary>RankCandidatesStream (client streaming).</summary>
    public static readonly Method<RankStreamRequest, RankResponse> RankCandidatesStream =
        GrpcMethod.Create<RankStreamRequest, RankResponse>(Service, "RankCandidatesStream");

    /// <summary>ListModels (unary).</summary>
    public static readonly Method<ListModelsRequest, ListModelsResponse> ListModels =
        GrpcMethod.Create<ListModelsRequest, ListModelsResponse>(Service, "ListModels");

    /// <summary>Health Check (unary).</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> HealthCheck =
        GrpcMethod.Create<HealthCheckRequest, HealthCheckResponse>(HealthService.Descriptor, "Check");

    /// <summary>Health Watch (server streaming).</summary>
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> HealthWatch =
        GrpcMethod.Create<HealthCheckRequest, HealthCheckResponse>(HealthService.Descriptor, "Watch");
}
