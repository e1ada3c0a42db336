namespace MatchService.Matching.Verify;

/// <summary>How Verify weights its pairwise similarities.</summary>
public enum Weighting
{
    /// <summary>w_ij ∝ q_i · q_j, normalised to sum 1.</summary>
    Quality,

    /// <summary>All pairs weigh 1 / (N(N − 1)/2).</summary>
    Uniform,
}
