namespace MatchService.Matching.Calibration;

/// <summary>FAR / FRR at a threshold and the equal-error rate of labelled scores.</summary>
public static class ErrorRates
{
    /// <summary>FAR and FRR when accepting at <paramref name="threshold"/> (inclusive).</summary>
    public static OperatingPoint At(IReadOnlyList<LabeledScore> scores, double threshold, ScoreDirection direction)
    {
        ArgumentNullException.ThrowIfNull(scores);
        int genuine = 0, impostor = 0, falseAccept = 0, falseReject = 0;
        foreach (var s in scores)
        {
            var accepted = direction == ScoreDirection.HigherIsGenuine ? s.Value >= threshold : s.Value <= threshold;
            if (s.Genuine)
            {
                genuine++;
                falseReject += accepted ? 0 : 1;
            }
            else
            {
                impostor++;
                falseAccept += accepted ? 1 : 0;
            }
        }

        return new OperatingPoint(threshold, Ratio(falseAccept, impostor), Ratio(falseReject, genuine));
    }

    /// <summary>
    /// The equal-error rate. Candidate thresholds are the distinct score values; the one with the smallest |FAR − FRR|
    /// wins, ties going to the stricter threshold (fewer false accepts). O(n log n), deterministic.
    /// </summary>
    public static EqualErrorRate EqualErrorRate(IReadOnlyList<LabeledScore> scores, ScoreDirection direction)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var genuine = scores.Count(s => s.Genuine);
        var impostor = scores.Count - genuine;
        if (genuine == 0 || impostor == 0)
        {
            throw new MatchingArgumentException("scores", $"has {genuine} genuine and {impostor} impostor scores; the equal-error rate needs both");
        }

        // Walk thresholds from strictest to loosest: for similarities from the highest score down.
        var sign = direction == ScoreDirection.HigherIsGenuine ? -1.0 : 1.0;
        var ordered = scores.OrderBy(s => sign * s.Value).ToArray();
        int acceptedGenuine = 0, acceptedImpostor = 0;
        var best = new OperatingPoint(double.NaN, 0, 1);
        var bestGap = double.PositiveInfinity;
        for (var i = 0; i < ordered.Length;)
        {
            var value = ordered[i].Value;
            while (i < ordered.Length && ordered[i].Value.Equals(value))
            {
                if (ordered[i].Genuine)
                {
                    acceptedGenuine++;
                }
                else
                {
                    acceptedImpostor++;
                }

                i++;
            }

            var far = Ratio(acceptedImpostor, impostor);
            var frr = Ratio(genuine - acceptedGenuine, genuine);
            var gap = Math.Abs(far - frr);
            if (gap < bestGap)
            {
                bestGap = gap;
                best = new OperatingPoint(value, far, frr);
            }
        }

        return new EqualErrorRate((best.FalseAcceptRate + best.FalseRejectRate) / 2, best, direction);
    }

    private static double Ratio(int count, int total) => total == 0 ? 0 : (double)count / total;
}
