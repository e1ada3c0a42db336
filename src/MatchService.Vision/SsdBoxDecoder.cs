using System.Drawing;

namespace MatchService.Vision;

/// <summary>Options of <see cref="SsdBoxDecoder"/> (face-api's defaults).</summary>
public sealed record SsdDecodingOptions
{
    /// <summary>Side of the square net input.</summary>
    public int InputSize { get; init; } = 512;

    /// <summary>Scores must be above it.</summary>
    public float MinConfidence { get; init; } = 0.5f;

    /// <summary>NMS overlap bound.</summary>
    public float IouThreshold { get; init; } = 0.5f;

    /// <summary>Most faces per image.</summary>
    public int MaxResults { get; init; } = 100;
}

/// <summary>
/// Turns the SSD graph's outputs for one image — anchor-decoded boxes [N, 4] as (ymin, xmin, ymax, xmax) relative to
/// the padded square input, and face scores [N] — into faces in image pixels: NMS, clamping to the square, and
/// face-api's mapping from the bottom/right-padded square back to the image.
/// </summary>
public static class SsdBoxDecoder
{
    /// <summary>Faces of one image, best first.</summary>
    public static IReadOnlyList<FaceDetection> Decode(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores,
        int imageWidth, int imageHeight, SsdDecodingOptions? options = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(imageWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imageHeight, 1);
        options ??= new SsdDecodingOptions();
        var kept = NonMaxSuppression.Select(boxes, scores, options.MinConfidence, options.IouThreshold, options.MaxResults);

        // face-api scales by the input size over the rounded size the image takes in the square.
        var scale = options.InputSize / (double)Math.Max(imageWidth, imageHeight);
        var padX = options.InputSize / RoundHalfUp(imageWidth * scale);
        var padY = options.InputSize / RoundHalfUp(imageHeight * scale);
        var faces = new List<FaceDetection>(kept.Count);
        foreach (var i in kept)
        {
            var top = Math.Max(0.0, boxes[i * 4]) * padY;
            var left = Math.Max(0.0, boxes[(i * 4) + 1]) * padX;
            var bottom = Math.Min(1.0, boxes[(i * 4) + 2]) * padY;
            var right = Math.Min(1.0, boxes[(i * 4) + 3]) * padX;
            var box = new RectangleF(
                (float)(left * imageWidth), (float)(top * imageHeight),
                (float)((right - left) * imageWidth), (float)((bottom - top) * imageHeight));
            faces.Add(new FaceDetection(box, scores[i]));
        }
        return faces;
    }

    private static double RoundHalfUp(double v) => Math.Floor(v + 0.5);
}
