using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;
using MatchVerifyOptions = MatchService.Matching.Verify.VerifyOptions;

namespace MatchService.Server.Faces;

/// <summary>
/// Verify (seed 000): reads one set of images from the client stream, starting each image's analysis as it arrives;
/// then quality, the N(N−1)/2 calibrated pairwise similarities, their fusion and the data-model vote.
/// Faceless images fail the call (FAILED_PRECONDITION naming them) unless <c>ignore_faceless_images</c> leaves them
/// out; with fewer than two usable faces left the verdict is UNDETERMINED.
/// </summary>
internal sealed class VerifyHandler(FaceFinder finder, FacePipeline faces, CalibrationStore calibration, MatchingMetrics verdicts, IOptions<FaceOptions> options)
{
    private readonly FaceOptions _options = options.Value;

    /// <summary>Handles one call.</summary>
    public Task<VerifyResponse> HandleAsync(IAsyncStreamReader<VerifyRequest> requests, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentNullException.ThrowIfNull(context);
        return VerifyAsync(requests, context, StageClock.Of(context));
    }

    private async Task<VerifyResponse> VerifyAsync(IAsyncStreamReader<VerifyRequest> requests, ServerCallContext context, StageClock clock)
    {
        var models = faces.Models;
        var curve = calibration.For(models.Embedder.Config);
        var ct = context.CancellationToken;
        var timeout = CallDeadline.Remaining(context);

        // A failing image must not leave its siblings running: one token for the whole set.
        using var work = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var analyses = new List<Task<ImageOutcome>>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        Contracts.V1.VerifyOptions? requestOptions = null;
        try
        {
            while (await requests.MoveNext(ct).ConfigureAwait(false))
            {
                var message = requests.Current;
                requestOptions ??= message.Options;
                foreach (var image in message.Images)
                {
                    var index = analyses.Count;
                    if (index >= _options.MaxVerifyImages)
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument,
                            $"the set has more than {_options.MaxVerifyImages} images; at most {_options.MaxVerifyImages} are accepted per Verify call (Faces:MaxVerifyImages)"));
                    }

                    var id = ImageIntake.IdOf(image.Image, $"images[{index}]");
                    if (!ids.Add(id))
                    {
                        throw new RpcException(new Status(StatusCode.InvalidArgument, $"image '{id}' (images[{index}]): the id is used twice in this set; ids must be unique"));
                    }

                    analyses.Add(AnalyzeAsync(image, index, id, timeout, clock, work.Token));
                }
            }

            if (analyses.Count < 2)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"the set has {analyses.Count} image(s); Verify needs at least two images of the person, send more"));
            }

            var outcomes = await Task.WhenAll(analyses).ConfigureAwait(false);
            return Decide(outcomes, requestOptions ?? new Contracts.V1.VerifyOptions(), curve, models, clock);
        }
        catch
        {
            // Cancel queued work of the other images at once (the batcher drops it before compute), then let them end.
            await work.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(analyses.Select(a => a.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default))).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<ImageOutcome> AnalyzeAsync(VerifyImage image, int index, string id, TimeSpan? timeout, StageClock clock, CancellationToken ct)
    {
        var field = $"images[{index}]";
        var search = await finder.FindAsync(image.Image, field, FaceProto.FromBox(image.FaceBox), timeout, clock, ct).ConfigureAwait(false);
        return new ImageOutcome(index, id, search.Face, search.NoFaceReason);
    }

    private VerifyResponse Decide(ImageOutcome[] outcomes, Contracts.V1.VerifyOptions requestOptions, FaceCalibration curve, FaceModels models, StageClock clock)
    {
        var faceless = outcomes.Where(o => o.Face is null).ToList();
        if (faceless.Count > 0 && !requestOptions.IgnoreFacelessImages)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition,
                $"no face found in image(s) {string.Join(", ", faceless.Select(o => $"'{o.Id}' (images[{o.Index}]: {o.NoFaceReason})"))}; send a face_box for them, replace them, or set ignore_faceless_images"));
        }

        var start = Stopwatch.GetTimestamp();
        var weighting = requestOptions.Fusion == FusionStrategy.Uniform ? Weighting.Uniform : Weighting.Quality;
        var embedder = models.Embedder.Config;
        var response = new VerifyResponse
        {
            Fusion = weighting == Weighting.Uniform ? FusionStrategy.Uniform : FusionStrategy.Quality,
            Model = FaceProto.ToRef(embedder),
            Detector = FaceProto.ToRef(models.Detector.Config),
        };

        var rule = new FaceQualityRule(models.EmbedderSpec.Width);
        var usable = new List<(ImageOutcome Outcome, FaceQualityResult Quality)>();
        foreach (var o in outcomes)
        {
            var result = new VerifyImageResult { ImageId = o.Id, Index = o.Index };
            if (o.Face is null)
            {
                result.Excluded = true;
                result.Reason = $"excluded: {o.NoFaceReason} and ignore_faceless_images is set";
            }
            else
            {
                var q = rule.Evaluate(o.Face, $"images[{o.Index}]");
                result.Face = FaceProto.ToFace(o.Face, q.Quality, q.Sharpness, q.Size);
                result.Reason = FormattableString.Invariant(
                    $"quality {q.Quality:F3} = detector {q.Detector:F2}^0.2 x sharpness {q.Sharpness:F2}^0.4 x size {q.Size:F2}^0.2 x mean confidence {q.Confidence ?? 1:F2}^0.2 (weighted geometric mean)");
                usable.Add((o, q));
            }

            response.Images.Add(result);
        }

        var metric = new VectorMetric(embedder.Metric == Inference.Configuration.DistanceMetric.Cosine ? MetricKind.Cosine : MetricKind.Euclidean, embedder.Normalize);
        var verifyOptions = new MatchVerifyOptions
        {
            K = requestOptions.NearestK > 0 ? requestOptions.NearestK : _options.NearestK,
            Weighting = weighting,
            FallbackThreshold = _options.FallbackThreshold,
            MaxImages = _options.MaxVerifyImages,
        };
        response.DataModel = new DataModelResult
        {
            Calibrated = curve.DataModel is not null,
            Calibration = curve.DataModel is not null ? curve.Name : "",
            K = verifyOptions.K,
            Threshold = curve.DataModel is null ? (float)verifyOptions.FallbackThreshold : 0,
        };

        if (usable.Count < 2)
        {
            response.Verdict = Verdict.Undetermined;
            response.DataModel.Explanation = $"only {usable.Count} image(s) with a face remain; at least two are needed to decide";
            verdicts.RecordVerdict("Verify", FaceProto.VerdictLabel(response.Verdict));
            return response;
        }

        var verifier = new SetVerifier(verifyOptions, new LogisticDistanceSimilarity(metric, curve.Curve), curve.DataModel);
        var outcome = verifier.Verify(usable.Select(u => u.Outcome.Face!.Feature.Feature.ToArray()).ToList(), usable.Select(u => u.Quality.Quality).ToList());
        clock.Add(FaceStage.Method, start);

        // Pairs refer to the images' own indexes, so excluded images leave gaps rather than renumbering.
        var share = new double[outcomes.Length];
        foreach (var p in outcome.Fusion.Pairs)
        {
            var i = usable[p.First].Outcome.Index;
            var j = usable[p.Second].Outcome.Index;
            response.Pairs.Add(new VerifyPair { First = i, Second = j, Similarity = (float)p.Similarity, Weight = (float)p.Weight });
            // Each pair's weight is split between its two images, so the shares sum to 1 like the weights.
            share[i] += p.Weight / 2;
            share[j] += p.Weight / 2;
        }

        foreach (var r in response.Images)
        {
            r.WeightShare = (float)share[r.Index];
        }

        response.FusedSimilarity = (float)outcome.Fusion.Fused;
        response.Verdict = outcome.Verdict == SetVerdict.Same ? Verdict.Same : Verdict.Different;
        if (outcome.Position is { } position)
        {
            response.DataModel.GenuineVotes = position.GenuineVotes;
            response.DataModel.K = position.K;
            response.DataModel.GenuinePercentile = (float)position.GenuinePercentile;
            response.DataModel.ImpostorPercentile = (float)position.ImpostorPercentile;
            response.DataModel.Neighbours.Add(position.Neighbours.Select(n => new Contracts.V1.CalibrationNeighbour { Score = (float)n.Score, Genuine = n.Genuine, Distance = (float)n.Distance }));
            response.DataModel.Explanation = FormattableString.Invariant(
                $"data model decided: {position.GenuineVotes} of {position.K} nearest calibration sets are genuine{(position.TieBroken ? " (tie broken)" : "")}; fused {outcome.Fusion.Fused:F3} is at percentile {position.GenuinePercentile:F0} of genuine and {position.ImpostorPercentile:F0} of impostor scores ({curve.Name})");
        }
        else
        {
            response.DataModel.Explanation = FormattableString.Invariant(
                $"threshold decided: fused {outcome.Fusion.Fused:F3} {(outcome.Verdict == SetVerdict.Same ? ">=" : "<")} {verifyOptions.FallbackThreshold:F3}; {curve.Name}");
        }

        verdicts.RecordVerdict("Verify", FaceProto.VerdictLabel(response.Verdict));
        return response;
    }

    private sealed record ImageOutcome(int Index, string Id, AnalyzedFace? Face, string? NoFaceReason);
}
