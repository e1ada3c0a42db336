using System.Numerics;

namespace MatchService.Matching.Compare;

/// <summary>
/// Seed 002: decides whether two faces are the same person from features weighted by their confidences.
/// C = ⟨Y1, Y2⟩ / d; C &lt; T_c → UNDETERMINED. Otherwise D = d·⟨(X1 − X2)∗(X1 − X2), Y1∗Y2⟩ / ⟨Y1, Y2⟩ — which
/// is the plain squared distance when all confidences are equal, so A and B fitted on squared distances apply —
/// S = 1 / (1 + exp(A·D + B)), SAME when S ≥ T_s.
/// </summary>
public sealed class ConfidenceComparer
{
    /// <summary>Creates a comparer; throws when the options are out of range.</summary>
    public ConfidenceComparer(CompareOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Validated();
    }

    /// <summary>The options every result reports.</summary>
    public CompareOptions Options { get; }

    /// <summary>Compares two validated feature/confidence pairs (dimensions must agree).</summary>
    public CompareResult Compare(ConfidentFeature first, ConfidentFeature second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Dimension != second.Dimension)
        {
            throw new MatchingArgumentException("second.feature", $"has {second.Dimension} elements but first.feature has {first.Dimension}; both must come from the same model");
        }

        var d = first.Dimension;
        var (overlap, weighted) = Accumulate(first.Feature, first.Confidence, second.Feature, second.Confidence);
        var coincidence = overlap / d;

        // At exactly T_c the comparison is decided; an empty overlap can never give a distance.
        if (coincidence < Options.CoincidenceThreshold || !(overlap > 0))
        {
            return new CompareResult(CompareVerdict.Undetermined, coincidence, null, null, d, Options);
        }

        var distance = d * weighted / overlap;
        var similarity = Options.Curve.Similarity(distance);
        var verdict = similarity >= Options.SimilarityThreshold ? CompareVerdict.Same : CompareVerdict.Different;
        return new CompareResult(verdict, coincidence, distance, similarity, d, Options);
    }

    /// <summary>Returns (⟨Y1, Y2⟩, ⟨(X1 − X2)², Y1∗Y2⟩) in one SIMD pass, summed in double across lanes.</summary>
    internal static (double Overlap, double Weighted) Accumulate(
        ReadOnlySpan<float> x1, ReadOnlySpan<float> y1, ReadOnlySpan<float> x2, ReadOnlySpan<float> y2)
    {
        var overlapAcc = Vector<float>.Zero;
        var weightedAcc = Vector<float>.Zero;
        var width = Vector<float>.Count;
        var i = 0;
        for (; i <= x1.Length - width; i += width)
        {
            var yy = new Vector<float>(y1[i..]) * new Vector<float>(y2[i..]);
            var diff = new Vector<float>(x1[i..]) - new Vector<float>(x2[i..]);
            overlapAcc += yy;
            weightedAcc += diff * diff * yy;
        }

        double overlap = 0, weighted = 0;
        for (var lane = 0; lane < width; lane++)
        {
            overlap += overlapAcc[lane];
            weighted += weightedAcc[lane];
        }

        for (; i < x1.Length; i++)
        {
            var yy = (double)y1[i] * y2[i];
            var diff = (double)x1[i] - x2[i];
            overlap += yy;
            weighted += diff * diff * yy;
        }

        return (overlap, weighted);
    }
}
