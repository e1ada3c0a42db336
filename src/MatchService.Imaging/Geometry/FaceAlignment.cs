using System.Numerics;

namespace MatchService.Imaging.Geometry;

/// <summary>
/// Five canonical face points (image-left eye, image-right eye, nose tip, image-left mouth corner,
/// image-right mouth corner) in an output of a given size.
/// </summary>
public sealed class FaceTemplate
{
    private readonly Vector2[] _points;

    /// <summary>Creates a template of five points for a <paramref name="width"/> × <paramref name="height"/> output.</summary>
    public FaceTemplate(int width, int height, ReadOnlySpan<Vector2> points)
    {
        if (points.Length != 5)
        {
            throw new ArgumentException("a face template has 5 points", nameof(points));
        }

        Width = width;
        Height = height;
        _points = points.ToArray();
    }

    /// <summary>The widely used 112 × 112 ArcFace/InsightFace template.</summary>
    public static FaceTemplate ArcFace112 { get; } = new(112, 112,
    [
        new(38.2946f, 51.6963f), new(73.5318f, 51.5014f), new(56.0252f, 71.7366f), new(41.5493f, 92.3655f), new(70.7299f, 92.2041f),
    ]);

    /// <summary>Output width.</summary>
    public int Width { get; }

    /// <summary>Output height.</summary>
    public int Height { get; }

    /// <summary>The five points in output pixels.</summary>
    public ReadOnlySpan<Vector2> Points => _points;

    /// <summary>The same template for another output size (points scaled per axis).</summary>
    public FaceTemplate ScaledTo(int width, int height)
    {
        float sx = (float)width / Width, sy = (float)height / Height;
        Span<Vector2> scaled = stackalloc Vector2[5];
        for (int i = 0; i < 5; i++)
        {
            scaled[i] = new Vector2(_points[i].X * sx, _points[i].Y * sy);
        }

        return new FaceTemplate(width, height, scaled);
    }
}

/// <summary>Aligns faces to a <see cref="FaceTemplate"/> by a least-squares similarity fit of their landmarks.</summary>
public static class FaceAlignment
{
    /// <summary>
    /// The five template points from the 68-point iBUG/dlib layout (0-based): mean of 36–41 (image-left eye),
    /// mean of 42–47 (image-right eye), 30 (nose tip), 48 and 54 (mouth corners).
    /// </summary>
    public static Vector2[] FivePointsFrom68(ReadOnlySpan<Vector2> landmarks)
    {
        if (landmarks.Length != 68)
        {
            throw new ArgumentException($"expected 68 landmarks, got {landmarks.Length}", nameof(landmarks));
        }

        return [Mean(landmarks[36..42]), Mean(landmarks[42..48]), landmarks[30], landmarks[48], landmarks[54]];
    }

    /// <summary>The transform from image to template (5 points, or 68 reduced to 5).</summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<Vector2> landmarks, FaceTemplate template) =>
        SimilarityTransform.Estimate(landmarks.Length == 68 ? FivePointsFrom68(landmarks) : landmarks, template.Points);

    /// <summary>Warps the face into the template's output size.</summary>
    public static RgbImage Align(RgbImage image, ReadOnlySpan<Vector2> landmarks, FaceTemplate template, BorderMode border = BorderMode.Constant) =>
        AffineWarp.Warp(image, Estimate(landmarks, template), template.Width, template.Height, border);

    private static Vector2 Mean(ReadOnlySpan<Vector2> points)
    {
        var sum = Vector2.Zero;
        foreach (var p in points)
        {
            sum += p;
        }

        return sum / points.Length;
    }
}
