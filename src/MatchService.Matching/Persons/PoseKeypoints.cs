namespace MatchService.Matching.Persons;

/// <summary>
/// The 17 COCO body keypoints of one person (MoveNet's order: nose, left/right eye, left/right ear, left/right
/// shoulder, left/right elbow, left/right wrist, left/right hip, left/right knee, left/right ankle) in image pixels,
/// each with a score in [0, 1].
/// </summary>
public sealed class PoseKeypoints
{
    /// <summary>Index of the left shoulder; the right one follows.</summary>
    public const int LeftShoulder = 5;

    /// <summary>Index of the left hip; the right one follows.</summary>
    public const int LeftHip = 11;

    private readonly (float X, float Y, float Score)[] _points;

    /// <summary>Wraps 17 points.</summary>
    public PoseKeypoints(IReadOnlyList<(float X, float Y, float Score)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count != 17)
        {
            throw new MatchingArgumentException("keypoints", $"expected 17 body keypoints, got {points.Count}");
        }
        _points = [.. points];
    }

    /// <summary>Point <paramref name="index"/>.</summary>
    public (float X, float Y, float Score) this[int index] => _points[index];

    /// <summary>
    /// The head-shoulder box from the keypoints: across the confident head points (nose, eyes, ears; at least one)
    /// and both shoulders, widened by 15% of that width on each side; from the highest head point raised by 60% of the
    /// head-to-shoulder height down to the lower shoulder plus 30% of it (the same rule as the head_shoulder_locator
    /// model's graph). Null when no head point or either shoulder scores below <paramref name="minScore"/>, or the head
    /// is not above the shoulders.
    /// </summary>
    public PersonBox? HeadShoulder(float minScore)
    {
        var head = _points.Take(5).Where(p => p.Score >= minScore).ToList();
        var (left, right) = (_points[LeftShoulder], _points[LeftShoulder + 1]);
        if (head.Count == 0 || !(left.Score >= minScore) || !(right.Score >= minScore))
        {
            return null;
        }
        var top = head.Min(p => p.Y);
        var shoulders = Math.Max(left.Y, right.Y);
        var height = shoulders - top;
        var xs = head.Select(p => p.X).Append(left.X).Append(right.X).ToList();
        var margin = 0.15f * (xs.Max() - xs.Min());
        if (!(height >= 1))
        {
            return null;
        }
        var x0 = xs.Min() - margin;
        var y0 = top - (0.6f * height);
        return new PersonBox(x0, y0, xs.Max() + margin - x0, shoulders + (0.3f * height) - y0);
    }

    /// <summary>
    /// The upper-body garment region: shoulders to hips (all four at least <paramref name="minScore"/>), across them
    /// and the confident elbows, widened by 10% on each side; null when the torso is unsure.
    /// </summary>
    public PersonBox? UpperBody(float minScore)
    {
        if (Torso(minScore) is not { } torso)
        {
            return null;
        }
        var xs = new[] { torso.X, torso.Right }.Concat(_points.Skip(7).Take(2).Where(p => p.Score >= minScore).Select(p => p.X)).ToList();
        var margin = 0.1f * (xs.Max() - xs.Min());
        return new PersonBox(xs.Min() - margin, torso.Y, xs.Max() - xs.Min() + (2 * margin), torso.Height);
    }

    /// <summary>
    /// The lower-body garment region: from the hips (both at least <paramref name="minScore"/>) down to the lower of
    /// the confident ankles, else knees, across those points widened by 20% on each side; null when the hips or both
    /// knees and ankles are unsure.
    /// </summary>
    public PersonBox? LowerBody(float minScore)
    {
        var hips = new[] { _points[LeftHip], _points[LeftHip + 1] };
        var ankles = _points.Skip(15).Take(2).Where(p => p.Score >= minScore).ToList();
        var legs = ankles.Count > 0 ? ankles : [.. _points.Skip(13).Take(2).Where(p => p.Score >= minScore)];
        if (hips.Any(p => !(p.Score >= minScore)) || legs.Count == 0)
        {
            return null;
        }
        var top = Math.Min(hips[0].Y, hips[1].Y);
        var bottom = legs.Max(p => p.Y);
        var xs = hips.Concat(legs).Select(p => p.X).ToList();
        var margin = 0.2f * (xs.Max() - xs.Min());
        return bottom - top >= 1 ? new PersonBox(xs.Min() - margin, top, xs.Max() - xs.Min() + (2 * margin), bottom - top) : null;
    }

    /// <summary>
    /// The torso from the keypoints: shoulders to hips, across the four points (a box of at least a pixel), or null
    /// when any of the four scores below <paramref name="minScore"/> or the hips are not below the shoulders.
    /// </summary>
    public PersonBox? Torso(float minScore)
    {
        var corners = new[] { _points[LeftShoulder], _points[LeftShoulder + 1], _points[LeftHip], _points[LeftHip + 1] };
        if (corners.Any(p => !(p.Score >= minScore)))
        {
            return null;
        }
        var top = (corners[0].Y + corners[1].Y) / 2;
        var bottom = (corners[2].Y + corners[3].Y) / 2;
        var left = corners.Min(p => p.X);
        var right = corners.Max(p => p.X);
        return bottom - top >= 1 && right - left >= 1 ? new PersonBox(left, top, right - left, bottom - top) : null;
    }
}
