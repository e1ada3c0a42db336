using System.Drawing;

namespace MatchService.Vision;

/// <summary>
/// The 68 facial landmarks (iBUG 300-W order: jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67) in image
/// pixels, decoded from the landmark net's 136 outputs (x, y interleaved, relative to its centred-padded square input).
/// </summary>
public sealed class FaceLandmarks68
{
    /// <summary>Number of points.</summary>
    public const int Count = 68;

    private FaceLandmarks68(PointF[] points) => Points = points;

    /// <summary>The points in image pixels.</summary>
    public IReadOnlyList<PointF> Points { get; }

    /// <summary>Mean of points 36–41.</summary>
    public PointF LeftEyeCentre => Centre(36, 42);

    /// <summary>Mean of points 42–47.</summary>
    public PointF RightEyeCentre => Centre(42, 48);

    /// <summary>Mean of points 48–67.</summary>
    public PointF MouthCentre => Centre(48, 68);

    /// <summary>
    /// Decodes one face: <paramref name="output"/> holds 136 values for a crop of
    /// <paramref name="cropWidth"/> × <paramref name="cropHeight"/> pixels whose top-left corner lies at
    /// <paramref name="shift"/> in the image (face-api shifts by the unrounded detection box corner).
    /// </summary>
    public static FaceLandmarks68 Decode(ReadOnlySpan<float> output, int cropWidth, int cropHeight, PointF shift, int inputSize = 112)
    {
        if (output.Length != Count * 2)
        {
            throw new ArgumentException($"expected {Count * 2} landmark values, got {output.Length}");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(cropWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cropHeight, 1);
        // The crop's size inside the net input and the (half) padding, as face-api computes them.
        var s = inputSize / (double)Math.Max(cropWidth, cropHeight);
        var w = cropWidth * s;
        var h = cropHeight * s;
        var padX = w < h ? Math.Abs(w - h) / 2 : 0;
        var padY = h < w ? Math.Abs(w - h) / 2 : 0;
        var points = new PointF[Count];
        for (var i = 0; i < Count; i++)
        {
            var rx = ((output[2 * i] * (double)inputSize) - padX) / w;
            var ry = ((output[(2 * i) + 1] * (double)inputSize) - padY) / h;
            points[i] = new PointF((float)((rx * cropWidth) + shift.X), (float)((ry * cropHeight) + shift.Y));
        }
        return new FaceLandmarks68(points);
    }

    private PointF Centre(int from, int to)
    {
        double x = 0, y = 0;
        for (var i = from; i < to; i++)
        {
            x += Points[i].X;
            y += Points[i].Y;
        }
        return new PointF((float)(x / (to - from)), (float)(y / (to - from)));
    }
}
