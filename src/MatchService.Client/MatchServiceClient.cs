using Grpc.Health.V1;
using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Client;

namespace MatchService.Client;

/// <summary>
/// The typed client of MatchService. Errors arrive as <see cref="RpcException"/> with the server's status and message.
/// </summary>
public sealed class MatchServiceClient(GrpcChannel channel)
{
    /// <summary>The channel calls go through.</summary>
    public GrpcChannel Channel { get; } = channel;

    /// <summary>Creates a client for an address, optionally with a bearer token.</summary>
    public static MatchServiceClient Create(string address, string? bearerToken = null, GrpcChannelOptions? options = null)
    {
        options ??= new GrpcChannelOptions();
        if (!string.IsNullOrEmpty(bearerToken))
        {
            options.DefaultHeaders = (options.DefaultHeaders ?? new Metadata()).Add("authorization", $"Bearer {bearerToken}");
        }
        return new MatchServiceClient(GrpcChannel.ForAddress(address, options));
    }

    /// <summary>Starts Verify: write the set's images, complete, await the response.</summary>
    public AsyncClientStreamingCall<VerifyRequest, VerifyResponse> Verify(CallOptions options = default) =>
        Channel.AsyncClientStreamingCall(MatchServiceMethods.Verify, options);

    /// <summary>Compares two faces.</summary>
    public Task<CompareResponse> CompareWithConfidenceAsync(CompareRequest request, CallOptions options = default) =>
        Channel.AsyncUnaryCall(MatchServiceMethods.CompareWithConfidence, request, options).ResponseAsync;

    /// <summary>Starts EmbedPersons: write images, read persons as they come, then the summary.</summary>
    public AsyncDuplexStreamingCall<EmbedRequest, EmbedResponse> EmbedPersons(CallOptions options = default) =>
        Channel.AsyncDuplexStreamingCall(MatchServiceMethods.EmbedPersons, options);

    /// <summary>Ranks inline candidates in one message.</summary>
    public Task<RankResponse> RankCandidatesAsync(RankRequest request, CallOptions options = default) =>
        Channel.AsyncUnaryCall(MatchServiceMethods.RankCandidates, request, options).ResponseAsync;

    /// <summary>Starts RankCandidatesStream: the query first, then candidates in chunks.</summary>
    public AsyncClientStreamingCall<RankStreamRequest, RankResponse> RankCandidatesStream(CallOptions options = default) =>
        Channel.AsyncClientStreamingCall(MatchServiceMethods.RankCandidatesStream, options);

    /// <summary>Lists the models.</summary>
    public Task<ListModelsResponse> ListModelsAsync(CallOptions options = default) =>
        Channel.AsyncUnaryCall(MatchServiceMethods.ListModels, new ListModelsRequest(), options).ResponseAsync;

    /// <summary>The health status of a service name ("" for the server).</summary>
    public async Task<HealthCheckResponse.Types.ServingStatus> CheckHealthAsync(string service = "", CallOptions options = default) =>
        (await Channel.AsyncUnaryCall(MatchServiceMethods.HealthCheck, new HealthCheckRequest { Service = service }, options).ResponseAsync
            .ConfigureAwait(false)).Status;

    /// <summary>Watches a service's health: the current status, then every change.</summary>
    public AsyncServerStreamingCall<HealthCheckResponse> WatchHealth(string service = "", CallOptions options = default) =>
        Channel.AsyncServerStreamingCall(MatchServiceMethods.HealthWatch, new HealthCheckRequest { Service = service }, options);
}
