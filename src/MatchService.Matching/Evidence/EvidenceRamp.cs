namespace MatchService.Matching.Evidence;

/// <summary>
/// A linear ramp from 0 at <see cref="Low"/> to 1 at <see cref="High"/> (clamped outside), or the reverse when
/// <see cref="HigherIsBetter"/> is false. Used to map one image measurement to an evidence term in [0, 1].
/// </summary>
/// <param name="Low">Below (or, reversed, above) this the term is 0 — no usable detail.</param>
/// <param name="High">Above (or, reversed, below) this the term is 1 — full detail.</param>
/// <param name="HigherIsBetter">True for sharpness (more is better), false for the flat share (less is better).</param>
public sealed record EvidenceRamp(double Low, double High, bool HigherIsBetter = true)
{
    /// <summary>The term for <paramref name="value"/>, in [0, 1].</summary>
    public double Evaluate(double value)
    {
        var t = HigherIsBetter ? (value - Low) / (High - Low) : (Low - value) / (Low - High);
        return Math.Clamp(t, 0, 1);
    }

    /// <summary>Throws naming <paramref name="field"/> unless the ends are finite and ordered.</summary>
    public EvidenceRamp Validated(string field)
    {
        var ordered = HigherIsBetter ? Low < High : Low > High;
        if (!double.IsFinite(Low) || !double.IsFinite(High) || !ordered)
        {
            throw new MatchingArgumentException(field,
                $"ramp ({Low}, {High}) must be finite with {(HigherIsBetter ? "low < high" : "low > high (fewer flat cells is better)")}");
        }

        return this;
    }

    /// <summary>
    /// Fits the ramp on labelled examples: it spans the gap between the worst clean value and the best degraded
    /// value (the widest margin a linear ramp can leave on both sides), so that every clean example gets 1 and every
    /// degraded one 0. Throws when the two sets overlap (the measurement cannot separate them on its own).
    /// </summary>
    /// <param name="clean">Values of faces with full detail.</param>
    /// <param name="degraded">Values of faces without usable detail (blurred away, covered).</param>
    /// <param name="higherIsBetter">Direction of the measurement.</param>
    /// <param name="field">Names the measurement in errors.</param>
    public static EvidenceRampFit Fit(IReadOnlyCollection<double> clean, IReadOnlyCollection<double> degraded, bool higherIsBetter, string field)
    {
        ArgumentNullException.ThrowIfNull(clean);
        ArgumentNullException.ThrowIfNull(degraded);
        if (clean.Count == 0 || degraded.Count == 0)
        {
            throw new MatchingArgumentException(field, "needs clean and degraded examples to fit a ramp");
        }

        var worstClean = higherIsBetter ? clean.Min() : clean.Max();
        var bestDegraded = higherIsBetter ? degraded.Max() : degraded.Min();
        var separable = higherIsBetter ? bestDegraded < worstClean : bestDegraded > worstClean;
        if (!separable)
        {
            throw new MatchingArgumentException(field,
                $"clean and degraded examples overlap (worst clean {worstClean:G4}, best degraded {bestDegraded:G4}); this measurement cannot separate them");
        }

        return new EvidenceRampFit(new EvidenceRamp(bestDegraded, worstClean, higherIsBetter), clean.Count, degraded.Count);
    }
}

/// <summary>A fitted ramp and the number of examples it saw.</summary>
/// <param name="Ramp">Low = best degraded value, High = worst clean value.</param>
/// <param name="CleanCount">Clean examples.</param>
/// <param name="DegradedCount">Degraded examples.</param>
public sealed record EvidenceRampFit(EvidenceRamp Ramp, int CleanCount, int DegradedCount);
