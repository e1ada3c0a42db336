using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Matching.Persons;

namespace MatchService.Server.Models;

/// <summary>One box a detector-like model found, in pixels of the image it looked at.</summary>
/// <param name="Box">The box.</param>
/// <param name="Score">Its score in [0, 1].</param>
/// <param name="Label">Index of its class when the model gives per-box class scores, else 0.</param>
/// <param name="Index">Index of the box among the model's outputs (to find its keypoints).</param>
internal readonly record struct DetectedBox(PersonBox Box, float Score, int Label, int Index = 0);

/// <summary>
/// The output contract this service reads from detector roles (person_detector, head_shoulder_locator,
/// garment_detector): an output with meaning <c>boxes</c>, per item [K, 4] as (x1, y1, x2, y2) normalised to [0, 1]
/// of the region the model was given, and optionally an output with meaning <c>scores</c>, per item [K] in [0, 1] or
/// [K, L] per class (the best class wins and gives <see cref="DetectedBox.Label"/>); without one every box scores 1. Boxes are mapped back to pixels of that
/// region and clipped to it; degenerate boxes are skipped.
/// </summary>
internal static class DetectorBoxes
{
    /// <summary>Boxes scoring at least <paramref name="minScore"/>, best first.</summary>
    public static IReadOnlyList<DetectedBox> Read(ModelConfig config, InferenceResult result, PersonBox region, float minScore)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        var boxesSpec = config.OutputFor(OutputMeaning.Boxes)
            ?? throw new InvalidOperationException($"model {config.Name} has no output with meaning \"boxes\" ({config.ConfigPath})");
        var boxes = result[boxesSpec.Name].Data;
        var count = boxes.Length / 4;

        // A regressor without a scores output (e.g. a locator giving exactly one box) scores its boxes 1.
        var scores = config.OutputFor(OutputMeaning.Scores) is { } scoresSpec ? result[scoresSpec.Name].Data : [.. Enumerable.Repeat(1f, count)];
        if (count == 0)
        {
            return [];
        }

        var classes = scores.Length / count;
        if (classes < 1 || classes * count != scores.Length)
        {
            throw new InvalidOperationException($"model {config.Name}: {count} boxes but {scores.Length} scores ({config.ConfigPath})");
        }

        var found = new List<DetectedBox>();
        for (var k = 0; k < count; k++)
        {
            var label = 0;
            for (var c = 1; c < classes; c++)
            {
                label = scores[(k * classes) + c] > scores[(k * classes) + label] ? c : label;
            }

            var score = scores[(k * classes) + label];
            var x1 = Math.Clamp(boxes[4 * k], 0f, 1f);
            var y1 = Math.Clamp(boxes[(4 * k) + 1], 0f, 1f);
            var x2 = Math.Clamp(boxes[(4 * k) + 2], 0f, 1f);
            var y2 = Math.Clamp(boxes[(4 * k) + 3], 0f, 1f);
            if (!(score >= minScore) || !(x2 > x1) || !(y2 > y1))
            {
                continue;
            }

            var box = new PersonBox(region.X + (x1 * region.Width), region.Y + (y1 * region.Height), (x2 - x1) * region.Width, (y2 - y1) * region.Height);
            found.Add(new DetectedBox(box, Math.Clamp(score, 0f, 1f), label, k));
        }

        return [.. found.OrderByDescending(d => d.Score)];
    }

    /// <summary>
    /// The 17 body keypoints of box <paramref name="index"/> from an output with meaning <c>landmarks</c> holding, per
    /// box, 17 × (y, x, score) in 0..1 of <paramref name="region"/> (MoveNet's layout); null when the model has no such output.
    /// </summary>
    public static PoseKeypoints? Keypoints(ModelConfig config, InferenceResult result, PersonBox region, int index)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(result);
        if (config.OutputFor(OutputMeaning.Landmarks) is not { } spec)
        {
            return null;
        }
        var values = result[spec.Name].Data.AsSpan();
        const int PerBox = 17 * 3;
        if ((index + 1) * PerBox > values.Length)
        {
            return null;
        }
        var points = new (float X, float Y, float Score)[17];
        for (var j = 0; j < 17; j++)
        {
            var at = (index * PerBox) + (3 * j);
            points[j] = (region.X + (values[at + 1] * region.Width), region.Y + (values[at] * region.Height), values[at + 2]);
        }
        return new PoseKeypoints(points);
    }
}
