using System.Diagnostics;
using System.Drawing;
using System.Runtime.CompilerServices;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Inference.Configuration;
using MatchService.Inference.Decoding;
using SquarePadding = MatchService.Imaging.Geometry.SquarePadding;
using MatchService.Inference.Engine;
using MatchService.Matching.Compare;
using MatchService.Matching.Evidence;
using MatchService.Server.Pipeline;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>
/// The face chain on the engine: detect (SSD, most confident face or the client's box) → 68 landmarks on the clipped,
/// centred-square detection → face-api's eyes-and-mouth recognition crop → embed. Without a confidence output the K
/// test-time views are submitted together, so they share one batch, and give X = mean and y_i = 1/(1 + (σ_i/τ)²).
/// </summary>
public sealed class FacePipeline(ModelHost models, IOptions<FaceOptions> options)
{
    private readonly FaceOptions _options = options.Value;

    /// <summary>The engine's face models.</summary>
    public FaceModels Models => FaceModels.From(models.Engine);

    /// <summary>The faces of an image, best first (scores above <see cref="FaceOptions.MinDetectorScore"/>).</summary>
    public async Task<IReadOnlyList<FaceDetection>> DetectAsync(RgbImage image, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clock);
        var m = Models;
        var start = Stopwatch.GetTimestamp();
        var window = SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight);
        var result = await m.Detector.InferRegionAsync(new RegionInput(image, window, BorderMode.Constant, m.DetectorSpec), timeout, cancellationToken).ConfigureAwait(false);
        var boxes = result[m.Detector.Config.OutputFor(OutputMeaning.Boxes)!.Name].Data;
        var scores = result[m.Detector.Config.OutputFor(OutputMeaning.Scores)!.Name].Data;
        var faces = SsdBoxDecoder.Decode(boxes, scores, image.Width, image.Height,
            new SsdDecodingOptions { InputSize = m.DetectorSpec.Width, MinConfidence = _options.MinDetectorScore });
        clock.Add(FaceStage.Detect, start);
        return faces;
    }

    /// <summary>
    /// The chosen face of an image analysed end to end: the client's box when given, else the most confident detection;
    /// null when no face was found.
    /// </summary>
    /// <param name="image">The decoded image (kept alive until this completes).</param>
    /// <param name="clientBox">Optional face box from the request.</param>
    /// <param name="imageId">For error messages.</param>
    /// <param name="timeout">The call's remaining deadline.</param>
    /// <param name="clock">Stage timings of the call.</param>
    /// <param name="cancellationToken">The call's cancellation.</param>
    public async Task<AnalyzedFace?> AnalyzeAsync(RgbImage image, RectangleF? clientBox, string imageId, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        RectangleF box;
        float score;
        if (clientBox is { } given)
        {
            var inside = RectangleF.Intersect(given, new RectangleF(0, 0, image.Width, image.Height));
            if (!(given.Width > 0 && given.Height > 0) || inside.Width < 1 || inside.Height < 1)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument,
                    $"image '{imageId}': face_box ({given.X}, {given.Y}, {given.Width} x {given.Height}) must have a positive size and overlap the {image.Width} x {image.Height} image"));
            }

            (box, score) = (given, 1f);
        }
        else
        {
            var faces = await DetectAsync(image, timeout, clock, cancellationToken).ConfigureAwait(false);
            if (faces.Count == 0)
            {
                return null;
            }

            (box, score) = (faces[0].Box, faces[0].Score);
        }

        return await DescribeAsync(image, box, score, clientBox is not null, timeout, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Landmarks, recognition crop and feature with confidence for one face box.</summary>
    public async Task<AnalyzedFace> DescribeAsync(RgbImage image, RectangleF box, float score, bool clientBox, TimeSpan? timeout, StageClock clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clock);
        var m = Models;

        var start = Stopwatch.GetTimestamp();
        var crop = FaceCrop.ClipAtImageBorders(box, image.Width, image.Height);
        var landmarkWindow = Offset(SquareWindow.For(crop.Width, crop.Height, SquarePadding.Centered), crop.X, crop.Y);
        var lm = await m.Landmarks.InferRegionAsync(new RegionInput(image, landmarkWindow, BorderMode.Constant, m.LandmarkSpec), timeout, cancellationToken).ConfigureAwait(false);
        var landmarks = FaceLandmarks68.Decode(lm[m.Landmarks.Config.OutputFor(OutputMeaning.Landmarks)!.Name].Data,
            crop.Width, crop.Height, new PointF(box.X, box.Y), m.LandmarkSpec.Width);
        clock.Add(FaceStage.Landmarks, start);

        start = Stopwatch.GetTimestamp();
        var square = FaceCrop.EyesMouthSquare(landmarks);
        var recognition = FaceCrop.ClipAtImageBorders(square, image.Width, image.Height);
        if (recognition.Width < 1 || recognition.Height < 1)
        {
            // Landmarks far outside the image (a client box on the border): fall back to the box itself.
            recognition = crop;
        }

        var window = Offset(SquareWindow.For(recognition.Width, recognition.Height, SquarePadding.Centered), recognition.X, recognition.Y);
        var face = await EmbedAsync(image, window, timeout, cancellationToken).ConfigureAwait(false);
        var viewConfidence = face.Feature.MeanConfidence;
        var feature = face.Evidence is { } e ? ImageEvidence.Apply(face.Feature, e.Factor, "embedding") : face.Feature;
        clock.Add(FaceStage.Embed, start);
        return new AnalyzedFace(box, score, clientBox, landmarks, recognition, face.Measurements.LaplacianVariance, feature, face.FromModel, face.Views, face.Tau,
            face.Evidence, viewConfidence);
    }

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

/// <summary>The three face models of the engine and their packing contracts.</summary>
public sealed record FaceModels(ModelRunner Detector, ModelRunner Landmarks, ModelRunner Embedder,
    Imaging.Tensors.TensorSpec DetectorSpec, Imaging.Tensors.TensorSpec LandmarkSpec, Imaging.Tensors.TensorSpec EmbedderSpec)
{
    private static readonly ConditionalWeakTable<InferenceEngine, FaceModels> Cache = new();

    /// <summary>The face models of <paramref name="engine"/>; FAILED_PRECONDITION when one is not configured.</summary>
    public static FaceModels From(InferenceEngine engine) => Cache.GetValue(engine, e =>
    {
        var detector = Require(e, ModelRole.FaceDetector);
        var landmarks = Require(e, ModelRole.FaceLandmarks);
        var embedder = Require(e, ModelRole.FaceEmbedder);
        return new FaceModels(detector, landmarks, embedder,
            ModelTensorSpec.For(detector.Config), ModelTensorSpec.For(landmarks.Config), ModelTensorSpec.For(embedder.Config));
    });

    private static ModelRunner Require(InferenceEngine engine, ModelRole role) =>
        engine.TryGetByRole(role) ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            $"no model with role {role} is configured in the model repository; the face RPCs need a face detector, landmarks and embedder"));
}
