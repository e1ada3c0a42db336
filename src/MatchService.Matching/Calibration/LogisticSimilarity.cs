namespace MatchService.Matching.Calibration;

/// <summary>
/// The similarity curve of seed 002: S = 1 / (1 + exp(A·D + B)), with A &gt; 0 so that S falls as the distance D grows.
/// A and B come from <see cref="LogisticCalibration"/>; S is then the calibrated probability that a pair is genuine.
/// </summary>
/// <param name="A">Slope (must be positive and finite).</param>
/// <param name="B">Offset (finite); −B/A is the distance at which S = 0.5.</param>
public sealed record LogisticSimilarity(double A, double B)
{
    /// <summary>Throws unless A &gt; 0 and both are finite.</summary>
    public LogisticSimilarity Validated()
    {
        if (!double.IsFinite(A) || A <= 0)
        {
            throw new MatchingArgumentException("A", $"is {A}; the logistic slope must be positive and finite (fit it with LogisticCalibration)");
        }

        if (!double.IsFinite(B))
        {
            throw new MatchingArgumentException("B", $"is {B}; the logistic offset must be finite");
        }

        return this;
    }

    /// <summary>S(D), computed without overflow for large |A·D + B|.</summary>
    public double Similarity(double distance)
    {
        var z = (A * distance) + B;
        return z >= 0 ? Math.Exp(-z) / (1.0 + Math.Exp(-z)) : 1.0 / (1.0 + Math.Exp(z));
    }

    /// <summary>The distance where S equals <paramref name="similarity"/> (0 &lt; s &lt; 1): D = (ln(1/s − 1) − B) / A.</summary>
    public double DistanceAt(double similarity)
    {
        if (!(similarity > 0 && similarity < 1))
        {
            throw new MatchingArgumentException("similarity", $"is {similarity}; expected a value strictly between 0 and 1");
        }

        return (Math.Log((1.0 / similarity) - 1.0) - B) / A;
    }
}
