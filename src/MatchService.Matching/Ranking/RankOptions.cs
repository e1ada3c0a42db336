namespace MatchService.Matching.Ranking;

/// <summary>Seed 003's filters; every result echoes them.</summary>
public sealed record RankOptions
{
    /// <summary>Keep candidates with rank value r = 2 − distance at least this (seed: 1.08, i.e. distance ≤ 0.92).</summary>
    public double MinRankValue { get; init; } = 1.08;

    /// <summary>E_max: drop categories whose information content −ln(n_c/n) exceeds this (2.0: categories under e⁻² ≈ 13.5% of the kept results).</summary>
    public double MaxCategoryInformation { get; init; } = 2.0;

    /// <summary>
    /// Slack on both comparisons, so that rounding in 2 − d or ln does not flip a value that equals its limit
    /// (2 − 0.92 is 1.0799999999999999 in binary floating point).
    /// </summary>
    public double Tolerance { get; init; } = 1e-9;
}
