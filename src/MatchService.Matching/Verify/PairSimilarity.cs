using MatchService.Matching.Calibration;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Verify;

/// <summary>The pairwise similarity Verify fuses (injectable: a model may define its own).</summary>
public interface IPairSimilarity
{
    /// <summary>A similarity in [0, 1], larger for more alike faces.</summary>
    double Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b);

    /// <summary>A short description for responses, e.g. <c>logistic(A=…, B=…) of squared euclidean</c>.</summary>
    string Description { get; }
}

/// <summary>
/// The calibrated similarity 1 / (1 + exp(A·D + B)) on the model's squared distance D: the same curve as
/// CompareWithConfidence with all confidences equal, so one calibration serves both methods.
/// </summary>
public sealed class LogisticDistanceSimilarity : IPairSimilarity
{
    private readonly VectorMetric _metric;
    private readonly LogisticSimilarity _curve;

    /// <summary>Creates the similarity for <paramref name="metric"/> and a fitted curve.</summary>
    public LogisticDistanceSimilarity(VectorMetric metric, LogisticSimilarity curve)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(curve);
        _metric = metric;
        _curve = curve.Validated();
    }

    /// <inheritdoc />
    public string Description => FormattableString.Invariant(
        $"logistic(A={_curve.A:G6}, B={_curve.B:G6}) of squared {_metric.Kind.ToString().ToLowerInvariant()}{(_metric.Normalize ? " (L2-normalised)" : string.Empty)} distance");

    /// <inheritdoc />
    public double Similarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => _curve.Similarity(_metric.SquaredDistance(a, b));
}
