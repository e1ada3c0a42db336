using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Server.Faces;
using MatchService.Server.Persons;
using MatchService.Server.Products;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Server.Handlers;

/// <summary>
/// <c>match.v1.MatchService</c>: the generated service base, each RPC handed to its handler. Errors, the bearer
/// token, drain and metrics are the interceptor's and middlewares' (Hosting/), not the handlers'.
/// </summary>
internal sealed class MatchServiceRpcs(
    CompareHandler compare,
    VerifyHandler verify,
    EmbedPersonsHandler embedPersons,
    RankCandidatesHandler rank,
    ListModelsHandler listModels) : V1.MatchService.MatchServiceBase
{
    /// <inheritdoc />
    public override Task<CompareResponse> CompareWithConfidence(CompareRequest request, ServerCallContext context) =>
        compare.HandleAsync(request, context);

    /// <inheritdoc />
    public override Task<VerifyResponse> Verify(IAsyncStreamReader<VerifyRequest> requestStream, ServerCallContext context) =>
        verify.HandleAsync(requestStream, context);

    /// <inheritdoc />
    public override Task EmbedPersons(IAsyncStreamReader<EmbedRequest> requestStream, IServerStreamWriter<EmbedResponse> responseStream,
        ServerCallContext context) => embedPersons.HandleAsync(requestStream, responseStream, context);

    /// <inheritdoc />
    public override Task<RankResponse> RankCandidates(RankRequest request, ServerCallContext context) => rank.RankAsync(request, context);

    /// <inheritdoc />
    public override Task<RankResponse> RankCandidatesStream(IAsyncStreamReader<RankStreamRequest> requestStream, ServerCallContext context) =>
        rank.RankStreamAsync(requestStream, context);

    /// <inheritdoc />
    public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context) =>
        listModels.HandleAsync(request, context);
}
