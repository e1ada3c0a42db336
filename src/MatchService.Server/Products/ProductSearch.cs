using System.Diagnostics;
using MatchService.Contracts.V1;
using MatchService.Imaging;
using MatchService.Matching.Ranking;
using MatchService.Matching.Vectors;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;
using MatchRankOptions = MatchService.Matching.Ranking.RankOptions;

namespace MatchService.Server.Products;

/// <summary>
/// Seed 003 after the intent: embeds every query region and every candidate image through the product model (all at
/// once, so they share batches; candidate images at most <see cref="ProductOptions.MaxConcurrentCandidateImages"/>
/// decoded at a time), then ranks the candidates against each region on its own with <see cref="CandidateRanker"/>.
/// </summary>
internal sealed class ProductSearch(ProductModels models, ImageIntake intake, ProductOptions options, StageClock clock)
{
    /// <summary>Searches each region; results in region order.</summary>
    public async Task<IReadOnlyList<RankRegion>> SearchAsync(RgbImage query, IReadOnlyList<QueryRegion> regions, CandidateSet candidates,
        MatchRankOptions rankOptions, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(candidates);
        // The first failure (an undecodable candidate, a full queue) cancels the rest instead of embedding on for nothing.
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = failure.Token;
        using var gate = new SemaphoreSlim(options.MaxConcurrentCandidateImages);
        var regionTasks = regions.Select(r => clock.TimeAsync("embed_query", () => EmbedAsync(query, r.Box, timeout, token))).ToArray();
        var candidateTasks = candidates.Items
            .Select(c => c.Embedding is { } e ? Task.FromResult(e) : EmbedCandidateAsync(c, gate, timeout, token))
            .ToArray();
        var all = regionTasks.Concat(candidateTasks).ToArray();
        foreach (var task in all)
        {
            _ = task.ContinueWith(_ => CancelQuietly(failure), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch (Exception) when (all.FirstOrDefault(t => t.IsFaulted && t.Exception!.InnerException is not OperationCanceledException) is { } first)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(first.Exception!.InnerException!).Throw();
        }

        var regionVectors = regionTasks.Select(t => t.Result).ToArray();
        var candidateVectors = candidateTasks.Select(t => t.Result).ToArray();

        var start = Stopwatch.GetTimestamp();
        var ranker = new CandidateRanker(rankOptions);
        var results = new RankRegion[regions.Count];
        for (var r = 0; r < regions.Count; r++)
        {
            var scored = new RankCandidate[candidateVectors.Length];
            for (var c = 0; c < scored.Length; c++)
            {
                var item = candidates.Items[c];
                scored[c] = new RankCandidate(item.Id, item.Category, CandidateRanker.Distance(regionVectors[r], candidateVectors[c]));
            }

            results[r] = RankMessages.Region(regions[r], ranker.Rank(scored));
        }

        clock.Add("rank", start);
        return results;
    }

    private static void CancelQuietly(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The search already finished.
        }
    }

    private async Task<float[]> EmbedCandidateAsync(CandidateItem candidate, SemaphoreSlim gate, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var start = Stopwatch.GetTimestamp();
            using var decoded = await intake.DecodeAsync(new Image { Id = candidate.Id, Data = candidate.Image }, $"candidate '{candidate.Id}'", cancellationToken)
                .ConfigureAwait(false);
            clock.Add("decode", start);
            var image = decoded.Image;
            return await clock.TimeAsync("embed_candidates", () => EmbedAsync(image, new(0, 0, image.Width, image.Height), timeout, cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<float[]> EmbedAsync(RgbImage image, Matching.Persons.PersonBox box, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var model = models.Embedder;
        var region = Imaging.Geometry.PixelBox.Enclosing(box.X, box.Y, box.Width, box.Height).ClipTo(image.Width, image.Height);
        var input = new RegionInput(image, region, Imaging.Geometry.BorderMode.Replicate, model.Config.ToTensorSpec());
        var result = await model.InferRegionAsync(input, timeout, cancellationToken).ConfigureAwait(false);
        return VectorMetric.Normalized(result[PersonModels.EmbeddingOutput(model)].Data, $"{model.Config.Name}.embedding");
    }
}
