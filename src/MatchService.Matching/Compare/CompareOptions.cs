using MatchService.Matching.Calibration;

namespace MatchService.Matching.Compare;

/// <summary>Thresholds and the calibrated curve of CompareWithConfidence; every result echoes them.</summary>
public sealed record CompareOptions
{
    /// <summary>T_c: below this degree of coincidence the verdict is UNDETERMINED (at exactly T_c it is decided).</summary>
    public double CoincidenceThreshold { get; init; } = 0.5;

    /// <summary>T_s: SAME when S ≥ T_s.</summary>
    public double SimilarityThreshold { get; init; } = 0.5;

    /// <summary>A and B of S = 1 / (1 + exp(A·D + B)), fitted per model by <see cref="LogisticCalibration"/>.</summary>
    public required LogisticSimilarity Curve { get; init; }

    /// <summary>Throws with the offending field when a value is out of range.</summary>
    public CompareOptions Validated()
    {
        if (!(CoincidenceThreshold is >= 0 and <= 1))
        {
            throw new MatchingArgumentException("coincidence_threshold", $"is {CoincidenceThreshold}; expected a value in [0, 1]");
        }

        if (!(SimilarityThreshold is > 0 and < 1))
        {
            throw new MatchingArgumentException("similarity_threshold", $"is {SimilarityThreshold}; expected a value in (0, 1)");
        }

        Curve.Validated();
        return this;
    }
}
