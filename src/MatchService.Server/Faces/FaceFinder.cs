using System.Diagnostics;
using System.Drawing;
using MatchService.Imaging;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using MatchService.Vision;
using Microsoft.Extensions.Options;
using ProtoImage = MatchService.Contracts.V1.Image;

namespace MatchService.Server.Faces;

/// <summary>
/// From a request's photo to its face, for CompareWithConfidence and Verify: the face chain's door (admission), the
/// decode at the resolution the chain needs, then <see cref="FacePipeline"/>. Boxes in the result are in the photo's own
/// (upright, full-resolution) pixels whatever resolution was decoded.
/// </summary>
/// <remarks>
/// A JPEG above <see cref="FaceOptions.ScaledDecodeAbovePixels"/> is decoded twice, scaled in the DCT both times: at the
/// detector's input size to find the faces, then at the smallest scale that keeps the candidate faces at least
/// <see cref="CropHeadroom"/> times the embedder's (and landmark net's) input side. A 36 MP photo with a face a fifth of
/// its width is thus detected on 0.6 MP and described from 2.3 MP, never held at 108 MB. When the first pass finds no
/// face the photo is decoded at full resolution and searched as any other (fallback detector included).
/// </remarks>
internal sealed class FaceFinder(ImageIntake intake, FacePipeline faces, IOptions<FaceOptions> options) : IDisposable
{
    // The crops are resampled down to the models' inputs: twice their side keeps the resampling a reduction.
    private const double CropHeadroom = 2;

    private readonly FaceOptions _options = options.Value;
    private PathAdmission? _door;

    /// <summary>The face chain's door: one for the whole server, created on first use (the models are loaded by then).</summary>
    public PathAdmission Door => _door ??= CreateDoor();

    /// <summary>Whether the door exists (a face call has run since the start).</summary>
    public bool DoorIsOpen => _door is not null;

    /// <summary>
    /// Admits <paramref name="images"/> images of one call at the face chain's door, together (a call whose second image
    /// would be refused is refused before its first is worked on).
    /// </summary>
    /// <exception cref="Inference.Batching.DeadlineUnreachableException">The images ahead would keep them past the deadline.</exception>
    public PathAdmission.Ticket Admit(int images, TimeSpan? timeout) => Door.Admit(Remaining(timeout), images);

    /// <summary>
    /// What the door would answer <paramref name="images"/> images of a call now: its refusal, or null when it would admit
    /// them or is not open yet (no face call has run). Admits nothing.
    /// </summary>
    public Inference.Batching.DeadlineUnreachableException? RefusalAtDoor(int images, TimeSpan? timeout) =>
        _door?.Refusal(Remaining(timeout), images);

    /// <summary>The face of <paramref name="image"/> (the client's box when given), or why there is none.</summary>
    /// <param name="admitted">The call's ticket from <see cref="Admit"/>; null: the image is admitted alone.</param>
    /// <exception cref="Inference.Batching.DeadlineUnreachableException">Admitted alone, the images ahead would keep it past its deadline.</exception>
    public async Task<FaceSearch> FindAsync(ProtoImage? image, string field, RectangleF? clientBox, TimeSpan? timeout, StageClock clock,
        CancellationToken cancellationToken, PathAdmission.Ticket? admitted = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        using var own = admitted is null ? Admit(1, timeout) : null;
        var ticket = admitted ?? own!;
        var id = ImageIntake.IdOf(image, field);
        var info = intake.ReadInfo(image, field);
        FaceSearch search;
        using (await Door.EnterServiceAsync(cancellationToken).ConfigureAwait(false))
        {
            search = await SearchAsync(image, field, clientBox, id, info, timeout, clock, cancellationToken).ConfigureAwait(false);
        }

        ticket.Measure();
        return search;
    }

    /// <inheritdoc />
    public void Dispose() => _door?.Dispose();

    private async Task<FaceSearch> SearchAsync(ProtoImage? image, string field, RectangleF? clientBox, string id, ImageInfo info, TimeSpan? timeout,
        StageClock clock, CancellationToken cancellationToken)
    {
        if (clientBox is not null || info.Format != ImageFormat.Jpeg || _options.ScaledDecodeAbovePixels <= 0
            || (long)info.Width * info.Height <= _options.ScaledDecodeAbovePixels)
        {
            using var decoded = await DecodeAsync(image, field, DecodeRequest.FullResolution, clock, cancellationToken).ConfigureAwait(false);
            return await faces.AnalyzeAsync(decoded.Image, clientBox, id, timeout, clock, cancellationToken).ConfigureAwait(false);
        }

        return await FindInLargeJpegAsync(image, field, id, info, timeout, clock, cancellationToken).ConfigureAwait(false);
    }

    private async Task<FaceSearch> FindInLargeJpegAsync(ProtoImage? image, string field, string id, ImageInfo info, TimeSpan? timeout, StageClock clock,
        CancellationToken cancellationToken)
    {
        var models = faces.Models;
        IReadOnlyList<FaceDetection> found;
        double detectionScale;
        using (var small = await DecodeAsync(image, field, new DecodeRequest(models.DetectorSpec.Width, models.DetectorSpec.Height), clock, cancellationToken)
            .ConfigureAwait(false))
        {
            found = await faces.DetectAsync(small.Image, timeout, clock, cancellationToken).ConfigureAwait(false);
            detectionScale = small.Scale;
        }

        if (found.Count == 0)
        {
            using var full = await DecodeAsync(image, field, DecodeRequest.FullResolution, clock, cancellationToken).ConfigureAwait(false);
            return await faces.AnalyzeAsync(full.Image, null, id, timeout, clock, cancellationToken).ConfigureAwait(false);
        }

        // The smallest candidate face, in the photo's pixels, sets the resolution the crops need.
        var candidates = found.Take(Math.Max(1, _options.MaxFaceCandidates)).ToList();
        var smallestSide = candidates.Min(d => Math.Min(d.Box.Width, d.Box.Height)) / detectionScale;
        var needed = CropHeadroom * Math.Max(models.EmbedderSpec.Width, models.LandmarkSpec.Width);
        var scale = Math.Min(1, needed / Math.Max(1, smallestSide));
        var request = scale >= 1 ? DecodeRequest.FullResolution
            : new DecodeRequest((int)Math.Ceiling(info.OrientedWidth * scale), (int)Math.Ceiling(info.OrientedHeight * scale));
        using var described = await DecodeAsync(image, field, request, clock, cancellationToken).ConfigureAwait(false);
        var k = described.Scale / detectionScale;
        var search = await faces.ChooseAsync(described.Image, [.. candidates.Select(d => d with { Box = Scaled(d.Box, k) })], timeout, clock, cancellationToken)
            .ConfigureAwait(false);
        return search.Face is { } face
            ? FaceSearch.Found(face with
            {
                Box = Scaled(face.Box, 1 / described.Scale),
                Crop = Rectangle.Round(Scaled(face.Crop, 1 / described.Scale)),
                AnalysisScale = described.Scale,
            })
            : search;
    }

    private async Task<DecodedImage> DecodeAsync(ProtoImage? image, string field, DecodeRequest request, StageClock clock, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var decoded = await intake.DecodeAsync(image, field, request, cancellationToken).ConfigureAwait(false);
        clock.Add(FaceStage.Decode, start);
        return decoded;
    }

    /// <summary>The call's remaining deadline, or the detector's <c>timeout_ms</c> for a call that brought none.</summary>
    private TimeSpan Remaining(TimeSpan? timeout) => timeout ?? TimeSpan.FromMilliseconds(faces.Models.Detector.Config.Batching.TimeoutMs);

    private static RectangleF Scaled(RectangleF box, double k) =>
        new((float)(box.X * k), (float)(box.Y * k), (float)(box.Width * k), (float)(box.Height * k));

    private PathAdmission CreateDoor()
    {
        var m = faces.Models;
        var inService = _options.MaxImagesInService > 0 ? _options.MaxImagesInService : 8 * Environment.ProcessorCount;
        return new PathAdmission($"{m.Detector.Config.Name} → {m.Landmarks.Config.Name} → {m.Embedder.Config.Name}", TimeProvider.System, inService);
    }
}
