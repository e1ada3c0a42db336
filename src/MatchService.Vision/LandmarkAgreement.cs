using System.Drawing;

namespace MatchService.Vision;

/// <summary>
/// The landmark net's second opinion on a detection. The net always answers with a face-shaped set of 68 points, but
/// on a real face the points stick to the eyes, nose and mouth wherever the crop window lies, while on anything else
/// they are a template placed relative to the window and move with it. So the net is run on the detection box and on a
/// second window shifted and widened around it, and the two answers are compared in image pixels.
/// </summary>
public static class LandmarkAgreement
{
    /// <summary>
    /// The second window: <paramref name="box"/> widened by <paramref name="scale"/> about its centre, then moved right
    /// and down by <paramref name="shift"/> of its side.
    /// </summary>
    public static RectangleF PerturbedWindow(RectangleF box, double scale, double shift)
    {
        var width = box.Width * scale;
        var height = box.Height * scale;
        var side = Math.Max(box.Width, box.Height);
        var cx = box.X + (box.Width / 2) + (shift * side);
        var cy = box.Y + (box.Height / 2) + (shift * side);
        return new RectangleF((float)(cx - (width / 2)), (float)(cy - (height / 2)), (float)width, (float)height);
    }

    /// <summary>
    /// Mean distance between corresponding points of the two answers, in units of the detection box's longer side
    /// (a real face stays near 0.02–0.05; a window-following template moves by about the window's own shift).
    /// </summary>
    public static double Disagreement(FaceLandmarks68 first, FaceLandmarks68 second, RectangleF box)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var side = Math.Max(box.Width, box.Height);
        if (!(side > 0))
        {
            throw new ArgumentException("the box must have a positive size", nameof(box));
        }

        double sum = 0;
        for (var i = 0; i < FaceLandmarks68.Count; i++)
        {
            var dx = first.Points[i].X - (double)second.Points[i].X;
            var dy = first.Points[i].Y - (double)second.Points[i].Y;
            sum += Math.Sqrt((dx * dx) + (dy * dy));
        }

        return sum / FaceLandmarks68.Count / side;
    }
}
