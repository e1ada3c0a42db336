namespace MatchService.Vision;

/// <summary>
/// Greedy non-maximum suppression over corner boxes [y0, x0, y1, x1] (face-api's SSD variant): candidates above
/// the score threshold in falling score order (ties keep anchor order); a candidate is dropped when its IoU with
/// any already kept box exceeds the IoU threshold.
/// </summary>
public static class NonMaxSuppression
{
    /// <summary>Indices of the kept boxes, best first.</summary>
    /// <param name="boxes">N × 4 corner coordinates.</param>
    /// <param name="scores">N scores.</param>
    /// <param name="scoreThreshold">Only scores strictly above it are candidates.</param>
    /// <param name="iouThreshold">Overlap above which the lower-scored box goes.</param>
    /// <param name="maxResults">Most boxes to keep.</param>
    public static IReadOnlyList<int> Select(ReadOnlySpan<float> boxes, ReadOnlySpan<float> scores,
        float scoreThreshold, float iouThreshold, int maxResults)
    {
        if (boxes.Length != scores.Length * 4)
        {
            throw new ArgumentException($"expected {scores.Length * 4} box coordinates for {scores.Length} scores, got {boxes.Length}");
        }
        var candidates = new List<int>();
        for (var i = 0; i < scores.Length; i++)
        {
            if (scores[i] > scoreThreshold)
            {
                candidates.Add(i);
            }
        }
        var s = scores.ToArray();
        candidates.Sort((a, b) => s[b] != s[a] ? s[b].CompareTo(s[a]) : a.CompareTo(b));

        var kept = new List<int>();
        foreach (var c in candidates)
        {
            if (kept.Count >= Math.Min(maxResults, scores.Length))
            {
                break;
            }
            var suppressed = false;
            for (var j = kept.Count - 1; j >= 0 && !suppressed; j--)
            {
                suppressed = IntersectionOverUnion(boxes, c, kept[j]) > iouThreshold;
            }
            if (!suppressed)
            {
                kept.Add(c);
            }
        }
        return kept;
    }

    /// <summary>IoU of boxes <paramref name="i"/> and <paramref name="j"/>; 0 when either is empty.</summary>
    public static float IntersectionOverUnion(ReadOnlySpan<float> boxes, int i, int j)
    {
        var (yi0, xi0, yi1, xi1) = Corners(boxes, i);
        var (yj0, xj0, yj1, xj1) = Corners(boxes, j);
        var areaI = (yi1 - yi0) * (xi1 - xi0);
        var areaJ = (yj1 - yj0) * (xj1 - xj0);
        if (areaI <= 0 || areaJ <= 0)
        {
            return 0f;
        }
        var ih = Math.Max(Math.Min(yi1, yj1) - Math.Max(yi0, yj0), 0f);
        var iw = Math.Max(Math.Min(xi1, xj1) - Math.Max(xi0, xj0), 0f);
        var inter = ih * iw;
        return inter / (areaI + areaJ - inter);
    }

    private static (float Y0, float X0, float Y1, float X1) Corners(ReadOnlySpan<float> boxes, int i)
    {
        var b = boxes.Slice(i * 4, 4);
        return (Math.Min(b[0], b[2]), Math.Min(b[1], b[3]), Math.Max(b[0], b[2]), Math.Max(b[1], b[3]));
    }
}
