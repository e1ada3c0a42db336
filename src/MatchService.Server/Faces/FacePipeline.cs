using System.Diagnostics;
using System.Drawing;
using System.Runtime.CompilerServices;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Matching.Compare;
using MatchService.Matching.Evidence;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using MatchService.Server.Pipeline;
using MatchService.Vision;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>
/// The face chain on the engine: detect (SSD, most confident face or the client's box) → 68 landmarks on the clipped,
/// centred-square detection → face-api's eyes-and-mouth recognition crop → embed. Without a confidence output the K
/// test-time views are submitted together, so they share one batch, and give X = mean and y_i = 1/(1 + (σ_i/τ)²).
/// </summary>
internal sealed class FacePipeline(ModelHost models, IOptions<FaceOptions> options)
{
    private readonly FaceOptions _options = options.Value;

    /// <summary>The engine's face models.</summary>
    public FaceModels Models => FaceModels.From(models.Engine);

    /// <summary>
    /// The detections of an image by the face detector (or, with <paramref name="fallback"/>, the fallback detector), best
    /// first (scores above <paramref name="minScore"/>, default <see cref="FaceOptions.MinDetectorScore"/>).
    /// </summary>
    public async Task<IReadOnlyList<FaceDetection>> DetectAsync(RgbImage image, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken,
        float? minScore = null, bool fallback = false)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clock);
        var m = Models;
        var (detector, spec) = fallback
            ? (m.FallbackDetector ?? throw new InvalidOperationException("no face_detector_fallback model is configured"), m.FallbackDetectorSpec!)
            : (m.Detector, m.DetectorSpec);
        var start = Stopwatch.GetTimestamp();
        var window = SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight);
        var result = await detector.InferRegionAsync(new RegionInput(image, window, BorderMode.Constant, spec), timeout, cancellationToken).ConfigureAwait(false);
        var boxes = result[detector.Config.OutputFor(OutputMeaning.Boxes)!.Name].Data;
        var scores = result[detector.Config.OutputFor(OutputMeaning.Scores)!.Name].Data;
        var faces = SsdBoxDecoder.Decode(boxes, scores, image.Width, image.Height,
            new SsdDecodingOptions { InputSize = spec.Width, MinConfidence = minScore ?? _options.MinDetectorScore });
        clock.Add(FaceStage.Detect, start);
        return faces;
    }

    /// <summary>
    /// The chosen face of an image analysed end to end: the client's box when given; else the most confident detection
    /// that passes the second opinion (landmark check, <see cref="FaceOptions.LandmarkCheckEnabled"/>, and descriptor
    /// length, <see cref="FaceOptions.MinDescriptorLength"/>), trying at most <see cref="FaceOptions.MaxFaceCandidates"/>
    /// detections, then the same with the fallback detector when one is configured. Without a face, the result says why.
    /// </summary>
    /// <param name="image">The decoded image (kept alive until this completes).</param>
    /// <param name="clientBox">Optional face box from the request.</param>
    /// <param name="imageId">For error messages.</param>
    /// <param name="timeout">The call's remaining deadline.</param>
    /// <param name="clock">Stage timings of the call.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    public async Task<FaceSearch> AnalyzeAsync(RgbImage image, RectangleF? clientBox, string imageId, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clock);
        if (clientBox is { } given)
        {
            var inside = RectangleF.Intersect(given, new RectangleF(0, 0, image.Width, image.Height));
            if (!(given.Width > 0 && given.Height > 0) || inside.Width < 1 || inside.Height < 1)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"image '{imageId}': face_box ({given.X}, {given.Y}, {given.Width} x {given.Height}) must have a positive size and overlap the {image.Width} x {image.Height} image"));
            }

            // The client vouches for its box: no second opinion.
            var landmarks = await LandmarksAsync(image, given, timeout, clock, cancellationToken).ConfigureAwait(false);
            return FaceSearch.Found(await DescribeAsync(image, given, 1f, true, landmarks, null, timeout, clock, cancellationToken).ConfigureAwait(false));
        }

        var search = await SearchAsync(image, fallback: false, timeout, clock, cancellationToken).ConfigureAwait(false);
        if (search.Face is not null || Models.FallbackDetector is null)
        {
            return search;
        }

        // The cheap detector gave no face: the thorough one looks again (README, "Face detection").
        var second = await SearchAsync(image, fallback: true, timeout, clock, cancellationToken).ConfigureAwait(false);
        return second.Face is not null ? second : FaceSearch.None($"{search.NoFaceReason}; fallback detector: {second.NoFaceReason}");
    }

    private async Task<FaceSearch> SearchAsync(RgbImage image, bool fallback, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken) =>
        await ChooseAsync(image, await DetectAsync(image, timeout, clock, cancellationToken, fallback: fallback).ConfigureAwait(false), timeout, clock, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>
    /// The first of <paramref name="faces"/> (detections on <paramref name="image"/>, best first) that passes the second
    /// opinion, analysed; trying at most <see cref="FaceOptions.MaxFaceCandidates"/>. Without one, the result says why.
    /// </summary>
    public async Task<FaceSearch> ChooseAsync(RgbImage image, IReadOnlyList<FaceDetection> faces, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(faces);
        if (faces.Count == 0)
        {
            return FaceSearch.None($"no face found (detector score > {Invariant(_options.MinDetectorScore)})");
        }

        string? firstRejection = null;
        var candidates = faces.Take(Math.Max(1, _options.MaxFaceCandidates)).ToList();
        foreach (var candidate in candidates)
        {
            var at = $"detector score {Invariant(candidate.Score)} at {Invariant(candidate.Box.X)},{Invariant(candidate.Box.Y)} {Invariant(candidate.Box.Width)}x{Invariant(candidate.Box.Height)}";
            var check = await CheckAsync(image, candidate, timeout, clock, cancellationToken).ConfigureAwait(false);
            if (!check.IsFace)
            {
                firstRejection ??= $"{at}: landmark disagreement {Invariant(check.Disagreement ?? 0)} > {Invariant(_options.MaxLandmarkDisagreement)} " +
                    "(a face's landmarks stay on the face when the crop window moves; these moved with the window)";
                continue;
            }

            var face = await DescribeAsync(image, candidate.Box, candidate.Score, false, check.Landmarks, check.Disagreement, timeout, clock, cancellationToken).ConfigureAwait(false);
            if (face.DescriptorLength < _options.MinDescriptorLength)
            {
                firstRejection ??= $"{at}: descriptor length {Invariant(face.DescriptorLength)} < {Invariant(_options.MinDescriptorLength)} " +
                    "(the embedder does not describe it as it describes faces)";
                continue;
            }

            return FaceSearch.Found(face);
        }

        return FaceSearch.None($"no face found: {candidates.Count} detection(s) failed the second opinion, the best ({firstRejection})");
    }

    /// <summary>
    /// The landmark net's second opinion on a detection (<see cref="LandmarkAgreement"/>): landmarks on the box and on a
    /// shifted, widened window, submitted together so they share a batch.
    /// </summary>
    public async Task<FaceCheck> CheckAsync(RgbImage image, FaceDetection detection, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (!_options.LandmarkCheckEnabled)
        {
            return new FaceCheck(detection, await LandmarksAsync(image, detection.Box, timeout, clock, cancellationToken).ConfigureAwait(false), null, true);
        }

        var moved = LandmarkAgreement.PerturbedWindow(detection.Box, _options.LandmarkCheckScale, _options.LandmarkCheckShift);
        var both = await Task.WhenAll(
            LandmarksAsync(image, detection.Box, timeout, clock, cancellationToken),
            LandmarksAsync(image, moved, timeout, clock, cancellationToken)).ConfigureAwait(false);
        var disagreement = LandmarkAgreement.Disagreement(both[0], both[1], detection.Box);
        return new FaceCheck(detection, both[0], disagreement, disagreement <= _options.MaxLandmarkDisagreement);
    }

    /// <summary>The 68 landmarks of the face in <paramref name="box"/> (clipped, padded to a centred square).</summary>
    public async Task<FaceLandmarks68> LandmarksAsync(RgbImage image, RectangleF box, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clock);
        var m = Models;
        var start = Stopwatch.GetTimestamp();
        var crop = FaceCrop.ClipAtImageBorders(box, image.Width, image.Height);
        if (crop.Width < 1 || crop.Height < 1)
        {
            crop = FaceCrop.ClipAtImageBorders(RectangleF.Intersect(box, new RectangleF(0, 0, image.Width, image.Height)), image.Width, image.Height);
            crop = new Rectangle(Math.Min(crop.X, image.Width - 1), Math.Min(crop.Y, image.Height - 1), Math.Max(1, crop.Width), Math.Max(1, crop.Height));
        }

        var landmarkWindow = Offset(SquareWindow.For(crop.Width, crop.Height, SquarePadding.Centered), crop.X, crop.Y);
        var lm = await m.Landmarks.InferRegionAsync(new RegionInput(image, landmarkWindow, BorderMode.Constant, m.LandmarkSpec), timeout, cancellationToken).ConfigureAwait(false);
        var landmarks = FaceLandmarks68.Decode(lm[m.Landmarks.Config.OutputFor(OutputMeaning.Landmarks)!.Name].Data,
            crop.Width, crop.Height, new PointF(box.X, box.Y), m.LandmarkSpec.Width);
        clock.Add(FaceStage.Landmarks, start);
        return landmarks;
    }

    /// <summary>Recognition crop and feature with confidence for one face box and its landmarks.</summary>
    public async Task<AnalyzedFace> DescribeAsync(RgbImage image, RectangleF box, float score, bool clientBox, FaceLandmarks68 landmarks,
        double? landmarkDisagreement, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(landmarks);
        ArgumentNullException.ThrowIfNull(clock);
        var start = Stopwatch.GetTimestamp();
        var square = FaceCrop.EyesMouthSquare(landmarks);
        var recognition = FaceCrop.ClipAtImageBorders(square, image.Width, image.Height);
        if (recognition.Width < 1 || recognition.Height < 1)
        {
            // Landmarks far outside the image (a client box on the border): fall back to the box itself.
            recognition = FaceCrop.ClipAtImageBorders(box, image.Width, image.Height);
        }

        var window = Offset(SquareWindow.For(recognition.Width, recognition.Height, SquarePadding.Centered), recognition.X, recognition.Y);
        var face = await EmbedAsync(image, window, timeout, cancellationToken).ConfigureAwait(false);
        var viewConfidence = face.Feature.MeanConfidence;
        var feature = face.Evidence is { } e ? ImageEvidence.Apply(face.Feature, e.Factor, "embedding") : face.Feature;
        clock.Add(FaceStage.Embed, start);
        return new AnalyzedFace(box, score, clientBox, landmarks, recognition, face.Measurements.LaplacianVariance, feature, face.FromModel, face.Views, face.Tau,
            face.Evidence, viewConfidence, landmarkDisagreement);
    }

    private static string Invariant(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(ConfidentFeature Feature, bool FromModel, int Views, double Tau, EvidenceMeasurements Measurements, ImageEvidenceResult? Evidence)> EmbedAsync(
        RgbImage image, PixelBox window, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var m = Models;
        var spec = m.EmbedderSpec;
        var embeddingName = m.Embedder.Config.OutputFor(OutputMeaning.Embedding)!.Name;
        using var aligned = ImageResampler.CropResize(image, window, spec.Width, spec.Height, spec.Resize, BorderMode.Constant);
        var measurements = FaceEvidenceMeter.Measure(aligned, _options.EvidenceGrid, _options.FlatCellFraction, _options.EvidenceDetailSide);
        var evidence = _options.EvidenceEnabled ? ImageEvidence.Evaluate(measurements, _options.EvidenceOptions, "embedding") : null;

        if (m.Embedder.Config.OutputFor(OutputMeaning.Confidence) is { } confidenceOutput)
        {
            var one = await m.Embedder.InferRegionAsync(new RegionInput(image, window, BorderMode.Constant, spec), timeout, cancellationToken).ConfigureAwait(false);
            var y = one[confidenceOutput.Name].Data.Select(v => Math.Clamp(v, 0f, 1f)).ToArray();
            return (ConfidentFeature.Create(Normalised(m, one[embeddingName].Data), y, "embedding"), true, 1, 0, measurements, evidence);
        }

        using var mirrored = _options.MirrorView ? Mirror(aligned) : null;
        var inputs = FaceViews.Windows(window, _options.ShiftFraction, _options.Scales)
            .Select(w => new RegionInput(image, w, BorderMode.Constant, spec)).ToList();
        if (mirrored is not null)
        {
            inputs.Add(RegionInput.Whole(mirrored, spec));
        }

        // All views go in at once so the batcher runs them together.
        var results = await Task.WhenAll(inputs.Select(i => m.Embedder.InferRegionAsync(i, timeout, cancellationToken))).ConfigureAwait(false);
        var views = results.Select(r => Normalised(m, r[embeddingName].Data)).ToList();
        var tta = TestTimeConfidence.FromViews(views, new TestTimeConfidenceOptions
        {
            Tau = _options.TauAbsolute > 0 ? _options.TauAbsolute : null,
            TauRelativeToRms = _options.TauRelativeToRms,
        });
        return (tta.Feature, false, tta.ViewCount, tta.Tau, measurements, evidence);
    }

    private static float[] Normalised(FaceModels m, float[] embedding) =>
        m.Embedder.Config.Normalize ? Matching.Vectors.VectorMetric.Normalized(embedding, "embedding") : embedding;

    private static RgbImage Mirror(RgbImage source)
    {
        var result = RgbImage.Rent(source.Width, source.Height);
        for (var y = 0; y < source.Height; y++)
        {
            var from = source.Row(y);
            var to = result.Row(y);
            for (int x = 0, w = source.Width; x < w; x++)
            {
                from.Slice((w - 1 - x) * 3, 3).CopyTo(to.Slice(x * 3, 3));
            }
        }

        return result;
    }

    private static PixelBox Offset(PixelBox box, int dx, int dy) => box with { X = box.X + dx, Y = box.Y + dy };
}

/// <summary>The face models of the engine and their packing contracts (the fallback detector is optional).</summary>
internal sealed record FaceModels(ModelRunner Detector, ModelRunner Landmarks, ModelRunner Embedder,
    Imaging.Tensors.TensorSpec DetectorSpec, Imaging.Tensors.TensorSpec LandmarkSpec, Imaging.Tensors.TensorSpec EmbedderSpec,
    ModelRunner? FallbackDetector = null, Imaging.Tensors.TensorSpec? FallbackDetectorSpec = null)
{
    private static readonly ConditionalWeakTable<InferenceEngine, FaceModels> Cache = new();

    /// <summary>The face models of <paramref name="engine"/>; FAILED_PRECONDITION when one is not configured.</summary>
    public static FaceModels From(InferenceEngine engine) => Cache.GetValue(engine, e =>
    {
        var detector = Require(e, ModelRole.FaceDetector);
        var landmarks = Require(e, ModelRole.FaceLandmarks);
        var embedder = Require(e, ModelRole.FaceEmbedder);
        var fallback = e.TryGetByRole(ModelRole.FaceDetectorFallback);
        return new FaceModels(detector, landmarks, embedder,
            detector.Config.ToTensorSpec(), landmarks.Config.ToTensorSpec(), embedder.Config.ToTensorSpec(),
            fallback, fallback is null ? null : fallback.Config.ToTensorSpec());
    });

    private static ModelRunner Require(InferenceEngine engine, ModelRole role) =>
        engine.TryGetByRole(role) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"no model with role {role} is configured in the model repository; the face RPCs need a face detector, landmarks and embedder"));
}
