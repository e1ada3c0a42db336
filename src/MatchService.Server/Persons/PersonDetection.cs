using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Inference.Engine;
using MatchService.Matching.Persons;
using MatchService.Server.Models;
using MatchService.Server.Pipeline;
using MatchService.Vision;

namespace MatchService.Server.Persons;

/// <summary>A person the detector found: its box in image pixels, score and (when the model gives them) keypoints.</summary>
/// <param name="Box">The box, clipped to the image.</param>
/// <param name="Score">The detector's score.</param>
/// <param name="Keypoints">The 17 body keypoints in image pixels, or null.</param>
internal sealed record DetectedPerson(PersonBox Box, float Score, PoseKeypoints? Keypoints);

/// <summary>Runs a person_detector on a whole image, as EmbedPersons and RankCandidates' apparel regions do.</summary>
internal static class PersonDetection
{
    /// <summary>
    /// The persons scoring at least <paramref name="minScore"/>, best first. The detector sees the image padded black
    /// at the bottom/right to a square, so that people keep their shape; boxes are clipped to the image.
    /// </summary>
    public static async Task<IReadOnlyList<DetectedPerson>> DetectAsync(ModelRunner detector, RgbImage image, float minScore,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(image);
        var window = SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight);
        var region = new PersonBox(window.X, window.Y, window.Width, window.Height);
        var result = await detector.InferRegionAsync(new RegionInput(image, window, BorderMode.Constant, detector.Config.ToTensorSpec()), timeout, cancellationToken)
            .ConfigureAwait(false);
        return
        [
            .. DetectorBoxes.Read(detector.Config, result, region, minScore)
                .Select(d => (Detection: d, Box: d.Box.ClampTo(image.Width, image.Height)))
                .Where(d => d.Box.Width >= 1 && d.Box.Height >= 1)
                .Select(d => new DetectedPerson(d.Box, d.Detection.Score, DetectorBoxes.Keypoints(detector.Config, result, region, d.Detection.Index))),
        ];
    }
}
