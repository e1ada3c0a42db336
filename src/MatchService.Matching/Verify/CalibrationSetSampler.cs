using MatchService.Matching.Calibration;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Verify;

/// <summary>An embedding with the identity it shows (a folder name in <c>matchctl calibrate DIR</c>).</summary>
/// <param name="Identity">The identity label.</param>
/// <param name="Embedding">The face embedding.</param>
/// <param name="Quality">The face's q (1 when unknown).</param>
public sealed record IdentityEmbedding(string Identity, float[] Embedding, double Quality = 1.0);

/// <summary>How calibration pairs and sets are drawn.</summary>
public sealed record CalibrationSamplingOptions
{
    /// <summary>Genuine sets (one identity) to draw.</summary>
    public int GenuineSets { get; init; } = 1000;

    /// <summary>Impostor sets (two or more identities) to draw.</summary>
    public int ImpostorSets { get; init; } = 1000;

    /// <summary>Smallest set size N (≥ 2).</summary>
    public int SetSizeMin { get; init; } = 2;

    /// <summary>Largest set size N.</summary>
    public int SetSizeMax { get; init; } = 5;

    /// <summary>Cap on genuine pairs for the logistic fit (all within-identity pairs up to this, else a sample).</summary>
    public int MaxGenuinePairs { get; init; } = 20000;

    /// <summary>Impostor pairs drawn for the fit, per genuine pair.</summary>
    public double ImpostorPairsPerGenuinePair { get; init; } = 1.0;

    /// <summary>Seed of <see cref="SeededRandom"/>.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Weighting of the fused scores (use the one the service runs with).</summary>
    public Weighting Weighting { get; init; } = Weighting.Quality;
}

/// <summary>
/// The math of <c>matchctl calibrate</c>: labelled pairs for the logistic fit, and genuine/impostor sets whose fused
/// scores form Verify's data model. Everything is drawn with <see cref="SeededRandom"/>, so the same inputs and seed
/// give the same file.
/// </summary>
public static class CalibrationSetSampler
{
    /// <summary>Labelled squared distances: within-identity pairs (genuine) and random cross-identity pairs (impostor).</summary>
    public static List<LabeledScore> SamplePairs(IReadOnlyList<IdentityEmbedding> items, VectorMetric metric, CalibrationSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(options);
        var groups = Group(items);
        var rng = new SeededRandom(options.Seed);

        var genuinePairs = new List<(int, int)>();
        foreach (var g in groups)
        {
            for (var i = 0; i < g.Length; i++)
            {
                for (var j = i + 1; j < g.Length; j++)
                {
                    genuinePairs.Add((g[i], g[j]));
                }
            }
        }

        if (genuinePairs.Count == 0)
        {
            throw new MatchingArgumentException("identities", "no identity has two or more images; calibration needs genuine pairs");
        }

        if (genuinePairs.Count > options.MaxGenuinePairs)
        {
            rng.ShuffleFirst(genuinePairs, options.MaxGenuinePairs);
            genuinePairs.RemoveRange(options.MaxGenuinePairs, genuinePairs.Count - options.MaxGenuinePairs);
        }

        var result = new List<LabeledScore>();
        foreach (var (i, j) in genuinePairs)
        {
            result.Add(new LabeledScore(metric.SquaredDistance(items[i].Embedding, items[j].Embedding), true));
        }

        var impostorCount = Math.Max(1, (int)Math.Round(genuinePairs.Count * options.ImpostorPairsPerGenuinePair));
        for (var n = 0; n < impostorCount; n++)
        {
            var (i, j) = DrawCrossIdentityPair(items, rng);
            result.Add(new LabeledScore(metric.SquaredDistance(items[i].Embedding, items[j].Embedding), false));
        }

        return result;
    }

    /// <summary>Fused scores of the sets <see cref="SampleSets"/> draws.</summary>
    public static (List<double> Genuine, List<double> Impostor) SampleFusedScores(
        IReadOnlyList<IdentityEmbedding> items, IPairSimilarity similarity, CalibrationSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(similarity);
        var sets = SampleSets(items, options);
        return (
            sets.Genuine.Select(set => Fuse(items, set, similarity, options.Weighting)).ToList(),
            sets.Impostor.Select(set => Fuse(items, set, similarity, options.Weighting)).ToList());
    }

    /// <summary>
    /// Draws genuine sets (one identity with at least two images, N uniform in the size range, capped by that
    /// identity's image count) and impostor sets (N uniform in the range; two images of two different identities
    /// plus N − 2 distinct others from anyone), as indices into <paramref name="items"/>.
    /// </summary>
    public static (List<int[]> Genuine, List<int[]> Impostor) SampleSets(IReadOnlyList<IdentityEmbedding> items, CalibrationSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(options);
        if (options.SetSizeMin < 2 || options.SetSizeMax < options.SetSizeMin)
        {
            throw new MatchingArgumentException("set_size", $"is [{options.SetSizeMin}, {options.SetSizeMax}]; expected 2 ≤ min ≤ max");
        }

        var groups = Group(items);
        var eligible = groups.Where(g => g.Length >= 2).ToArray();
        if (eligible.Length == 0)
        {
            throw new MatchingArgumentException("identities", "no identity has two or more images; genuine sets cannot be drawn");
        }

        if (groups.Length < 2)
        {
            throw new MatchingArgumentException("identities", "only one identity; impostor sets need at least two");
        }

        // A stream apart from the pairs' one, so that changing the pair sampling leaves the sets alone.
        var rng = new SeededRandom(options.Seed ^ 0x5E75UL);
        var genuine = new List<int[]>(options.GenuineSets);
        for (var s = 0; s < options.GenuineSets; s++)
        {
            var group = eligible[rng.NextInt(eligible.Length)].ToList();
            var n = Math.Min(rng.NextInclusive(options.SetSizeMin, options.SetSizeMax), group.Count);
            rng.ShuffleFirst(group, n);
            genuine.Add(group.Take(n).ToArray());
        }

        var impostor = new List<int[]>(options.ImpostorSets);
        var all = Enumerable.Range(0, items.Count).ToList();
        for (var s = 0; s < options.ImpostorSets; s++)
        {
            var n = Math.Min(rng.NextInclusive(options.SetSizeMin, options.SetSizeMax), items.Count);
            var (first, second) = DrawCrossIdentityPair(items, rng);
            var rest = all.Where(i => i != first && i != second).ToList();
            rng.ShuffleFirst(rest, n - 2);
            impostor.Add(new[] { first, second }.Concat(rest.Take(n - 2)).ToArray());
        }

        return (genuine, impostor);
    }

    private static double Fuse(IReadOnlyList<IdentityEmbedding> items, IEnumerable<int> members, IPairSimilarity similarity, Weighting weighting)
    {
        var chosen = members.Select(i => items[i]).ToArray();
        return PairwiseFusion.Fuse(chosen.Select(c => c.Embedding).ToArray(), chosen.Select(c => c.Quality).ToArray(), weighting, similarity).Fused;
    }

    private static (int First, int Second) DrawCrossIdentityPair(IReadOnlyList<IdentityEmbedding> items, SeededRandom rng)
    {
        // Rejection: with two or more identities this ends quickly unless one identity holds nearly every image.
        for (var attempt = 0; attempt < 10000; attempt++)
        {
            var i = rng.NextInt(items.Count);
            var j = rng.NextInt(items.Count);
            if (!string.Equals(items[i].Identity, items[j].Identity, StringComparison.Ordinal))
            {
                return (i, j);
            }
        }

        throw new MatchingArgumentException("identities", "could not draw images of two different identities; add images of more people");
    }

    private static int[][] Group(IReadOnlyList<IdentityEmbedding> items)
    {
        if (items.Count == 0)
        {
            throw new MatchingArgumentException("identities", "is empty; calibration needs labelled embeddings");
        }

        for (var i = 0; i < items.Count; i++)
        {
            VectorChecks.RequireFinite(items[i].Embedding, $"identities[{i}].embedding");
            VectorChecks.RequireSameLength(items[0].Embedding.Length, items[i].Embedding.Length, $"identities[{i}].embedding");
        }

        // Ordinal order of identity names, then input order: independent of how the caller listed folders.
        return Enumerable.Range(0, items.Count)
            .GroupBy(i => items[i].Identity, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.ToArray())
            .ToArray();
    }
}
