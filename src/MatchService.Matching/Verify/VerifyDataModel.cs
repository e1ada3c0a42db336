namespace MatchService.Matching.Verify;

/// <summary>A calibration score near the query.</summary>
/// <param name="Score">The calibration set's fused score.</param>
/// <param name="Genuine">Whether that set was one identity.</param>
/// <param name="Distance">|score − query|.</param>
public readonly record struct CalibrationNeighbour(double Score, bool Genuine, double Distance);

/// <summary>Where a fused score lies in the data model, and the vote of its neighbours.</summary>
/// <param name="Verdict">The majority vote (ties: see <see cref="VerifyDataModel"/>).</param>
/// <param name="K">Neighbours used: min(k, number of calibration scores).</param>
/// <param name="GenuineVotes">Genuine neighbours.</param>
/// <param name="ImpostorVotes">Impostor neighbours.</param>
/// <param name="TieBroken">True when the votes were equal and the tie rule decided.</param>
/// <param name="Neighbours">The k neighbours, nearest first.</param>
/// <param name="GenuinePercentile">Mid-rank percentile of the score among the genuine scores, 0–100.</param>
/// <param name="ImpostorPercentile">Mid-rank percentile among the impostor scores, 0–100.</param>
public sealed record DataModelPosition(
    SetVerdict Verdict,
    int K,
    int GenuineVotes,
    int ImpostorVotes,
    bool TieBroken,
    IReadOnlyList<CalibrationNeighbour> Neighbours,
    double GenuinePercentile,
    double ImpostorPercentile);

/// <summary>
/// Seed 000's data model: fused scores of genuine sets (one identity) and impostor sets (two or more), and a
/// k-nearest-neighbour vote over them.
/// <para>Neighbours are ordered by |score − query|; among equal distances the lower score comes first, and at an
/// identical score an impostor before a genuine one (both lean towards DIFFERENT, the cheaper error for identity
/// checks). A tied vote (even k) goes to the class whose neighbours are closer on average; if that is also equal,
/// DIFFERENT.</para>
/// <para>Percentiles use mid-ranks: 100·(#below + ½·#equal)/n, so a score equal to every calibration score is the 50th.</para>
/// </summary>
public sealed class VerifyDataModel
{
    private readonly double[] _genuine;
    private readonly double[] _impostor;
    private readonly (double Score, bool Genuine)[] _all;
    private readonly double[] _allScores;

    /// <summary>Builds the model; both lists must be non-empty and finite.</summary>
    public VerifyDataModel(IReadOnlyList<double> genuineScores, IReadOnlyList<double> impostorScores)
    {
        ArgumentNullException.ThrowIfNull(genuineScores);
        ArgumentNullException.ThrowIfNull(impostorScores);
        _genuine = Sorted(genuineScores, "genuine_scores");
        _impostor = Sorted(impostorScores, "impostor_scores");
        _all = _genuine.Select(s => (s, true)).Concat(_impostor.Select(s => (s, false)))
            .OrderBy(e => e.s).ThenBy(e => e.Item2).ToArray();
        _allScores = _all.Select(e => e.Score).ToArray();
    }

    /// <summary>Number of genuine calibration scores.</summary>
    public int GenuineCount => _genuine.Length;

    /// <summary>Number of impostor calibration scores.</summary>
    public int ImpostorCount => _impostor.Length;

    /// <summary>The vote of the <paramref name="k"/> nearest calibration scores and the percentiles of <paramref name="score"/>.</summary>
    public DataModelPosition Locate(double score, int k)
    {
        if (!double.IsFinite(score))
        {
            throw new MatchingArgumentException("score", $"is {score}; the fused score must be finite");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        var neighbours = Nearest(score, Math.Min(k, _all.Length));
        var genuineVotes = neighbours.Count(n => n.Genuine);
        var impostorVotes = neighbours.Length - genuineVotes;
        SetVerdict verdict;
        var tie = genuineVotes == impostorVotes;
        if (!tie)
        {
            verdict = genuineVotes > impostorVotes ? SetVerdict.Same : SetVerdict.Different;
        }
        else
        {
            var genuineMean = neighbours.Where(n => n.Genuine).Average(n => n.Distance);
            var impostorMean = neighbours.Where(n => !n.Genuine).Average(n => n.Distance);
            verdict = genuineMean < impostorMean ? SetVerdict.Same : SetVerdict.Different;
        }

        return new DataModelPosition(
            verdict,
            neighbours.Length,
            genuineVotes,
            impostorVotes,
            tie,
            neighbours,
            Percentile(_genuine, score),
            Percentile(_impostor, score));
    }

    /// <summary>Mid-rank percentile of <paramref name="score"/> in the sorted <paramref name="sorted"/>.</summary>
    internal static double Percentile(double[] sorted, double score)
    {
        var below = LowerBound(sorted, score);
        var upTo = UpperBound(sorted, score);
        return 100.0 * (below + (0.5 * (upTo - below))) / sorted.Length;
    }

    private CalibrationNeighbour[] Nearest(double score, int k)
    {
        // The k nearest lie within k places either side of the insertion point; widen over runs of equal scores at
        // the edges so that the tie order (lower score, impostor first) is applied to every candidate.
        var p = LowerBound(_allScores, score);
        var lo = Math.Max(0, p - k);
        var hi = Math.Min(_all.Length, p + k);
        while (lo > 0 && _all[lo - 1].Score.Equals(_all[lo].Score))
        {
            lo--;
        }

        while (hi < _all.Length && hi > 0 && _all[hi].Score.Equals(_all[hi - 1].Score))
        {
            hi++;
        }

        return _all[lo..hi]
            .Select(e => new CalibrationNeighbour(e.Score, e.Genuine, Math.Abs(e.Score - score)))
            .OrderBy(n => n.Distance).ThenBy(n => n.Score).ThenBy(n => n.Genuine)
            .Take(k)
            .ToArray();
    }

    private static double[] Sorted(IReadOnlyList<double> scores, string field)
    {
        if (scores.Count == 0)
        {
            throw new MatchingArgumentException(field, "is empty; the data model needs genuine and impostor scores");
        }

        for (var i = 0; i < scores.Count; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new MatchingArgumentException($"{field}[{i}]", $"is {scores[i]}; calibration scores must be finite");
            }
        }

        var copy = scores.ToArray();
        Array.Sort(copy);
        return copy;
    }

    private static int LowerBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static int UpperBound(double[] sorted, double value)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] <= value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
