using System.Diagnostics;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Matching.Calibration;
using MatchService.Matching.Compare;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>
/// CompareWithConfidence (seed 002): each side is an image (decoded, face found, aligned, embedded with its test-time
/// views) or a precomputed (feature, confidence) pair of the same model; then C, D, S and the verdict.
/// </summary>
internal sealed class CompareHandler(FaceFinder finder, FacePipeline faces, CalibrationStore calibration, MatchingMetrics verdicts, IOptions<FaceOptions> options)
{
    private readonly FaceOptions _options = options.Value;

    /// <summary>Handles one call.</summary>
    public Task<CompareResponse> HandleAsync(CompareRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        return CompareAsync(request, context, StageClock.Of(context));
    }

    private async Task<CompareResponse> CompareAsync(CompareRequest request, ServerCallContext context, StageClock clock)
    {
        var models = faces.Models;
        var embedder = models.Embedder.Config;

        // Without a calibration an UNDETERMINED answer (C < T_c) needs no curve, so it is still given: that is how
        // `matchctl calibrate` reads X, Y and quality of an uncalibrated model (against a zero-confidence placeholder).
        var curve = calibration.Find(embedder, out var uncalibrated);
        var compareOptions = new CompareOptions
        {
            CoincidenceThreshold = request.HasCoincidenceThreshold && request.CoincidenceThreshold > 0 ? request.CoincidenceThreshold : _options.CoincidenceThreshold,
            SimilarityThreshold = request.HasSimilarityThreshold ? request.SimilarityThreshold : _options.SimilarityThreshold,
            Curve = curve?.Curve ?? NoCurve,
        };
        var comparer = new ConfidenceComparer(compareOptions);
        var modelRef = FaceProto.ToRef(embedder);
        var dimension = embedder.OutputFor(Inference.Configuration.OutputMeaning.Embedding)?.Dim;

        var timeout = CallDeadline.Remaining(context);
        // A side that needs no model is checked before the door, so bad input is INVALID_ARGUMENT whatever the load.
        var first = Given(request.First, "first", modelRef, dimension);
        var second = Given(request.Second, "second", modelRef, dimension);
        var images = (first is null ? 1 : 0) + (second is null ? 1 : 0);
        // The places the call's first bytes reserved at the door (FirstBytesDoor) are its admission.
        using var admitted = images > 0 ? FirstBytesDoor.TakeReservation(context, images) ?? finder.Admit(images, timeout) : null;
        var sides = await FailFast.WhenAllAsync<Side>(
            [
                token => first is null ? ImageSideAsync(request.First, "first", modelRef, timeout, clock, admitted, token) : Task.FromResult(first),
                token => second is null ? ImageSideAsync(request.Second, "second", modelRef, timeout, clock, admitted, token) : Task.FromResult(second),
            ], context.CancellationToken).ConfigureAwait(false);

        var start = Stopwatch.GetTimestamp();
        var result = comparer.Compare(sides[0].Feature, sides[1].Feature);
        clock.Add(FaceStage.Method, start);
        if (curve is null && result.Verdict != CompareVerdict.Undetermined)
        {
            throw CalibrationStore.NotCalibrated(embedder, uncalibrated);
        }

        var verdict = result.Verdict switch
        {
            CompareVerdict.Same => Verdict.Same,
            CompareVerdict.Different => Verdict.Different,
            _ => Verdict.Undetermined,
        };
        verdicts.RecordVerdict("CompareWithConfidence", FaceProto.VerdictLabel(verdict));

        var response = new CompareResponse
        {
            First = sides[0].Proto,
            Second = sides[1].Proto,
            Coincidence = (float)result.Coincidence,
            Verdict = verdict,
            Model = modelRef,
            Detector = sides.Any(s => s.Detected) ? FaceProto.ToRef(models.Detector.Config) : new ModelRef(),
            Dimension = result.Dimension,
            Thresholds = new CompareThresholds
            {
                CoincidenceThreshold = (float)compareOptions.CoincidenceThreshold,
                SimilarityThreshold = (float)compareOptions.SimilarityThreshold,
                LogisticA = (float)(curve?.Curve.A ?? 0),
                LogisticB = (float)(curve?.Curve.B ?? 0),
                LogisticSource = curve?.Source ?? $"none: {uncalibrated} (not needed: C < T_c)",
                Tau = (float)sides.Select(s => s.Tau).Max(),
            },
        };
        FaceProto.AddEvidence(response.Thresholds, _options);
        if (result.Distance is { } d)
        {
            response.Distance = (float)d;
        }

        if (result.Similarity is { } s)
        {
            response.Similarity = (float)s;
        }

        return response;
    }

    /// <summary>A precomputed side, checked; null for an image side.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT: the side is neither, or its vectors do not fit the model.</exception>
    private static Side? Given(CompareInput? input, string field, ModelRef model, int? dimension) => input?.InputCase switch
    {
        CompareInput.InputOneofCase.Precomputed => Precomputed(input.Precomputed, $"{field}.precomputed", model, dimension),
        CompareInput.InputOneofCase.Image => null,
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: give an image or a precomputed feature with confidence")),
    };

    private async Task<Side> ImageSideAsync(CompareInput input, string field, ModelRef model, TimeSpan? timeout, StageClock clock,
        PathAdmission.Ticket? admitted, CancellationToken ct)
    {
        var id = ImageIntake.IdOf(input.Image, $"{field}.image");
        var search = await finder.FindAsync(input.Image, $"{field}.image", FaceProto.FromBox(input.FaceBox), timeout, clock, ct, admitted).ConfigureAwait(false);
        var face = search.Face ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"image '{id}' ({field}): {search.NoFaceReason}; send a face_box or a photo with a visible face"));
        var quality = new FaceQualityRule(faces.Models.EmbedderSpec.Width).Evaluate(face, field);
        return new Side(face.Feature, face.Tau, input.FaceBox is null, new CompareSide
        {
            ImageId = id,
            Face = FaceProto.ToFace(face, quality.Quality, quality.Sharpness, quality.Size),
            Vectors = FaceProto.ToVectors(face.Feature, model),
            ConfidenceSource = face.ConfidenceFromModel ? ConfidenceSource.ModelOutput : ConfidenceSource.TestTimeAugmentation,
            Views = face.ConfidenceFromModel ? 0 : face.Views,
        });
    }

    private static Side Precomputed(FeatureWithConfidence given, string field, ModelRef model, int? dimension)
    {
        if (given.Model is { } m && (m.Name != model.Name || m.Version != model.Version))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument,
                $"{field}.model: the vectors come from {m.Name} {m.Version}, but this service compares with {model.Name} {model.Version}"));
        }

        if (dimension is { } d && given.Feature.Count != d)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}.feature: has {given.Feature.Count} values; model {model.Name} {model.Version} gives {d}"));
        }

        if (given.Confidence.Count != given.Feature.Count)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}.confidence: has {given.Confidence.Count} values; it must match feature ({given.Feature.Count})"));
        }

        var feature = ConfidentFeature.Create(given.Feature.ToArray(), given.Confidence.ToArray(), field);
        return new Side(feature, 0, false, new CompareSide
        {
            Vectors = FaceProto.ToVectors(feature, given.Model ?? model),
            ConfidenceSource = ConfidenceSource.Client,
        });
    }

    // Stands in for the missing curve only while the answer is UNDETERMINED, which never evaluates it.
    private static readonly LogisticSimilarity NoCurve = new(1, 0);

    private sealed record Side(ConfidentFeature Feature, double Tau, bool Detected, CompareSide Proto);
}
