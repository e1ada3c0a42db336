using System.Drawing;

namespace MatchService.Vision;

/// <summary>face-api's crop rules: which pixels feed the landmark net and the recognition net.</summary>
public static class FaceCrop
{
    /// <summary>
    /// The box clipped to the image and floored to whole pixels (face-api's clipAtImageBorders); the crop the landmark
    /// net sees for a detection, and the recognition crop after <see cref="EyesMouthSquare"/>.
    /// </summary>
    public static Rectangle ClipAtImageBorders(RectangleF box, int imageWidth, int imageHeight)
    {
        var x = Math.Max(box.X, 0f);
        var y = Math.Max(box.Y, 0f);
        var width = Math.Min(box.Right - x, imageWidth - x);
        var height = Math.Min(box.Bottom - y, imageHeight - y);
        return new Rectangle((int)MathF.Floor(x), (int)MathF.Floor(y), (int)MathF.Floor(width), (int)MathF.Floor(height));
    }

    /// <summary>
    /// The recognition crop (face-api's "dlib alignment"): an axis-aligned square, no rotation, of side
    /// floor(mean eye-to-mouth distance / 0.45), placed so the centre of (left eye, right eye, mouth) sits at
    /// 50 % across and 43 % down; its top-left corner is kept inside the image. Clip it with
    /// <see cref="ClipAtImageBorders"/>; the pixels are then padded black to a centred square and resized to the input.
    /// </summary>
    public static Rectangle EyesMouthSquare(FaceLandmarks68 landmarks)
    {
        ArgumentNullException.ThrowIfNull(landmarks);
        var le = landmarks.LeftEyeCentre;
        var re = landmarks.RightEyeCentre;
        var mouth = landmarks.MouthCentre;
        var eyeToMouth = (Distance(mouth, le) + Distance(mouth, re)) / 2;
        var size = (int)Math.Floor(eyeToMouth / 0.45);
        var cx = (le.X + (double)re.X + mouth.X) / 3;
        var cy = (le.Y + (double)re.Y + mouth.Y) / 3;
        var x = (int)Math.Floor(Math.Max(0, cx - (0.5 * size)));
        var y = (int)Math.Floor(Math.Max(0, cy - (0.43 * size)));
        return new Rectangle(x, y, size, size);
    }

    private static double Distance(PointF a, PointF b) => Math.Sqrt(((a.X - (double)b.X) * (a.X - (double)b.X)) + ((a.Y - (double)b.Y) * (a.Y - (double)b.Y)));
}
