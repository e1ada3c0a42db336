namespace MatchService.Matching.Verify;

/// <summary>One pairwise comparison of a Verify set.</summary>
/// <param name="First">Index i of the first image.</param>
/// <param name="Second">Index j &gt; i of the second image.</param>
/// <param name="Similarity">The pairwise similarity.</param>
/// <param name="Weight">w_ij (all weights sum to 1).</param>
public readonly record struct PairScore(int First, int Second, double Similarity, double Weight);

/// <summary>The fused similarity of a set.</summary>
/// <param name="Pairs">The N(N − 1)/2 pairs in the order (0,1), (0,2), …, (0,N−1), (1,2), ….</param>
/// <param name="Fused">Σ w_ij · s_ij.</param>
/// <param name="Weighting">Quality or uniform.</param>
/// <param name="SimilarityDescription">Which pairwise similarity was used.</param>
public sealed record FusionResult(IReadOnlyList<PairScore> Pairs, double Fused, Weighting Weighting, string SimilarityDescription);

/// <summary>
/// Seed 000's fusion: the N(N − 1)/2 pairwise similarities of a set form a vector that a weighted sum turns into one
/// score; with quality weighting w_ij ∝ q_i·q_j, so the pair of the two clearest images counts most.
/// </summary>
public static class PairwiseFusion
{
    /// <summary>Number of pairs of <paramref name="n"/> images.</summary>
    public static int PairCount(int n) => n * (n - 1) / 2;

    /// <summary>The weights for qualities <paramref name="qualities"/> in pair order; they sum to 1.</summary>
    public static double[] Weights(IReadOnlyList<double> qualities, Weighting weighting)
    {
        ArgumentNullException.ThrowIfNull(qualities);
        var n = qualities.Count;
        var weights = new double[PairCount(n)];
        if (weights.Length == 0)
        {
            return weights;
        }

        double total = 0;
        var k = 0;
        for (var i = 0; i < n; i++)
        {
            for (var j = i + 1; j < n; j++)
            {
                weights[k] = weighting == Weighting.Uniform ? 1.0 : qualities[i] * qualities[j];
                total += weights[k++];
            }
        }

        // All-zero qualities cannot rank the pairs: fall back to equal weights rather than divide by zero.
        if (!(total > 0))
        {
            Array.Fill(weights, 1.0 / weights.Length);
            return weights;
        }

        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] /= total;
        }

        return weights;
    }

    /// <summary>Fuses the set; every embedding must have the same length.</summary>
    public static FusionResult Fuse(IReadOnlyList<float[]> embeddings, IReadOnlyList<double> qualities, Weighting weighting, IPairSimilarity similarity)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(qualities);
        ArgumentNullException.ThrowIfNull(similarity);
        if (qualities.Count != embeddings.Count)
        {
            throw new MatchingArgumentException("qualities", $"has {qualities.Count} entries for {embeddings.Count} embeddings");
        }

        var weights = Weights(qualities, weighting);
        var pairs = new PairScore[weights.Length];
        double fused = 0;
        var k = 0;
        for (var i = 0; i < embeddings.Count; i++)
        {
            for (var j = i + 1; j < embeddings.Count; j++)
            {
                var s = similarity.Similarity(embeddings[i], embeddings[j]);
                pairs[k] = new PairScore(i, j, s, weights[k]);
                fused += weights[k] * s;
                k++;
            }
        }

        return new FusionResult(pairs, fused, weighting, similarity.Description);
    }
}
