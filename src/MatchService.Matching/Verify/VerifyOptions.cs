namespace MatchService.Matching.Verify;

/// <summary>Settings of Verify; every result echoes them.</summary>
public sealed record VerifyOptions
{
    /// <summary>k of the nearest-neighbour vote (odd, so that a full vote cannot tie).</summary>
    public int K { get; init; } = 15;

    /// <summary>Quality or uniform weights.</summary>
    public Weighting Weighting { get; init; } = Weighting.Quality;

    /// <summary>
    /// Without a calibration file: SAME when the fused similarity is at least this. The fused similarity is a weighted
    /// mean of calibrated probabilities, so 0.5 is the point where same and different are equally likely.
    /// </summary>
    public double FallbackThreshold { get; init; } = 0.5;

    /// <summary>Largest set accepted: bounds the work at N(N − 1)/2 = 2016 pairs for 64.</summary>
    public int MaxImages { get; init; } = 64;

    /// <summary>Throws with the offending field when a value is out of range.</summary>
    public VerifyOptions Validated()
    {
        if (K < 1)
        {
            throw new MatchingArgumentException("k", $"is {K}; expected at least 1");
        }

        if (!(FallbackThreshold is >= 0 and <= 1))
        {
            throw new MatchingArgumentException("fallback_threshold", $"is {FallbackThreshold}; expected a value in [0, 1]");
        }

        if (MaxImages < 2)
        {
            throw new MatchingArgumentException("max_images", $"is {MaxImages}; expected at least 2");
        }

        return this;
    }
}
