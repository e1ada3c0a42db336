using System.Diagnostics;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Matching.Ranking;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using MatchService.Server.Persons;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;
using MatchRankOptions = MatchService.Matching.Ranking.RankOptions;
using ProtoRankOptions = MatchService.Contracts.V1.RankOptions;

namespace MatchService.Server.Products;

/// <summary>
/// RankCandidates and RankCandidatesStream (seed 003): candidates are validated as they arrive; then the query's intent
/// — a non-commodity query returns at once with <c>search_skipped</c> and is counted in the searches-skipped metric,
/// without decoding or embedding a single candidate — then the regions (garments for apparel, else the whole image),
/// the embeddings and the per-region ranking with both filters.
/// </summary>
internal sealed class RankCandidatesHandler(ModelHost host, ImageIntake intake, IOptions<ProductOptions> options, MatchingMetrics metrics)
{
    /// <summary>Unary RankCandidates.</summary>
    public Task<RankResponse> RankAsync(RankRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var models = ProductModels.From(host.Engine);
        var candidates = NewSet(models);
        foreach (var candidate in request.Candidates)
        {
            candidates.Add(candidate);
        }

        return RankCoreAsync(models, request.Query, request.Options, candidates, context);
    }

    /// <summary>Client-streamed RankCandidatesStream: the query (and options) in the first message, candidates in any.</summary>
    public async Task<RankResponse> RankStreamAsync(IAsyncStreamReader<RankStreamRequest> requests, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(context);
        var models = ProductModels.From(host.Engine);
        var candidates = NewSet(models);
        Image? query = null;
        ProtoRankOptions? rankOptions = null;
        var first = true;
        while (await requests.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            var message = requests.Current;
            if (first)
            {
                (query, rankOptions, first) = (message.Query, message.Options, false);
            }
            else if (message.Query is not null || message.Options is not null)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, "query and options: accepted in the first message of the stream only"));
            }

            foreach (var candidate in message.Candidates)
            {
                candidates.Add(candidate);
            }
        }

        return await RankCoreAsync(models, query, rankOptions, candidates, context).ConfigureAwait(false);
    }

    private CandidateSet NewSet(ProductModels models) => new(options.Value.MaxCandidates, models.Dimension, models.Embedder.Config.Name);

    private async Task<RankResponse> RankCoreAsync(ProductModels models, Image? query, ProtoRankOptions? requested, CandidateSet candidates, ServerCallContext context)
    {
        var settings = options.Value;
        var rankOptions = Thresholds(requested, settings);
        var clock = StageClock.Of(context);
        var token = context.CancellationToken;
        if (query is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "query: no query image was given"));
        }

        var start = Stopwatch.GetTimestamp();
        using var decoded = await intake.DecodeAsync(query, "query", token).ConfigureAwait(false);
        clock.Add("decode", start);
        var image = decoded.Image;

        var outcome = await clock.TimeAsync("intent", () => IntentStage.DecideAsync(models, image, settings, CallDeadline.Remaining(context), token))
            .ConfigureAwait(false);
        var intent = outcome.Decision;
        var response = new RankResponse
        {
            Intent = RankMessages.ToProto(intent.Category),
            IntentScore = (float)(intent.Probability ?? 1.0),
            IntentSource = intent.Source == IntentSource.Model ? ModelReferences.SourceOf(models.Intent!) : ModelSource.Rule,
            Thresholds = new RankThresholds { MinRankValue = (float)rankOptions.MinRankValue, MaxInformationContent = (float)rankOptions.MaxCategoryInformation },
            Model = ModelReferences.Of(models.Embedder),
            Detector = new ModelRef(),
            CandidateCount = candidates.Items.Count,
            IntentReason = intent.Reason,
            IntentModel = ModelReferences.Of(intent.Source == IntentSource.Model ? models.Intent : null),
        };
        response.IntentEvidence.AddRange(outcome.Evidence.Select(e => RankMessages.ToProto(e, settings.Coco)));

        if (intent.Category == IntentCategory.NonCommodity)
        {
            // The seed's point: nothing is embedded or searched for a query that is not a product.
            response.SearchSkipped = true;
            metrics.RecordSearchSkipped("non_commodity");
            return response;
        }

        var (regions, regionModel) = await clock.TimeAsync("regions", () => QueryRegion.FindAsync(models, image, intent.Category, outcome.Evidence, settings, CallDeadline.Remaining(context), token))
            .ConfigureAwait(false);
        response.Detector = ModelReferences.Of(regionModel);

        var search = new ProductSearch(models, intake, settings, clock);
        response.Regions.AddRange(await search.SearchAsync(image, regions, candidates, rankOptions, CallDeadline.Remaining(context), token).ConfigureAwait(false));
        return response;
    }

    private static MatchRankOptions Thresholds(ProtoRankOptions? requested, ProductOptions settings)
    {
        var min = requested?.HasMinRankValue == true ? requested.MinRankValue : settings.MinRankValue;
        var max = requested?.HasMaxInformationContent == true ? requested.MaxInformationContent : settings.MaxCategoryInformation;
        if (!double.IsFinite(min) || min is < 0 or > 2)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"options.min_rank_value is {min}; expected a value in [0, 2] (r = 2 − distance)"));
        }

        if (!double.IsFinite(max) || max < 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"options.max_information_content is {max}; expected a finite value ≥ 0"));
        }

        return new MatchRankOptions { MinRankValue = min, MaxCategoryInformation = max };
    }
}
