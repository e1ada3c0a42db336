using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Server;
using MatchService.Server.Persons;

namespace MatchService.Server.Handlers;

/// <summary>
/// Binds <c>match.v1.MatchService</c>. Each RPC answers UNIMPLEMENTED until its capability lands: replace the
/// placeholder with the real handler (same signature) in this file.
/// </summary>
public static class MatchServiceEndpoints
{
    /// <summary>The protobuf service.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => MatchServiceReflection.Descriptor.Services[0];

    /// <summary>Binds every method.</summary>
    public static void Bind(GrpcServiceBuilder builder, IServiceProvider services) => builder
        .Unary<ListModelsRequest, ListModelsResponse>("ListModels", services.GetRequiredService<ListModelsHandler>().HandleAsync)
        .DuplexStreaming<EmbedRequest, EmbedResponse>("EmbedPersons", PersonProductRegistration.EmbedPersons)
        .Unary<RankRequest, RankResponse>("RankCandidates", PersonProductRegistration.RankCandidates)
        .ClientStreaming<RankStreamRequest, RankResponse>("RankCandidatesStream", PersonProductRegistration.RankCandidatesStream);

    private static Task<T> NotYet<T>(string method, string capability) =>
        throw new RpcException(StatusCode.Unimplemented, $"match.v1.MatchService/{method} is not implemented in this build yet ({capability}).");
}
