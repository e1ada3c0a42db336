namespace MatchService.Matching.Evidence;

/// <summary>
/// The two ramps of <see cref="ImageEvidence"/>. The defaults are <see cref="EvidenceRamp.Fit"/> results on the faces
/// of face-api's demo photos sample1–3 (clean: the 55 originals and changes; degraded: the same faces blurred until
/// unrecognisable, 9, and 70 % covered by grey, black and skin-coloured patches, 27), rounded to two digits inside the
/// fitted gap: sharpness fit 0.1831 → 0.2454 (worst blurred → worst clean), flat share fit 0.5469 → 0.2969 (least
/// covered → most flat clean). Samples 4–6 are held out; tests/MatchService.EndToEnd.Tests <c>EvidenceTests</c>
/// re-fits and checks that these values stay inside the gap.
/// </summary>
public sealed record ImageEvidenceOptions
{
    /// <summary>Relative sharpness std(detail) / std(grey): 0 at or below Low, 1 at or above High.</summary>
    public EvidenceRamp Sharpness { get; init; } = new(0.19, 0.24);

    /// <summary>Share of flat grid cells: 1 at or below High (fewer), 0 at or above Low.</summary>
    public EvidenceRamp Coverage { get; init; } = new(0.54, 0.30, HigherIsBetter: false);

    /// <summary>Throws naming the ramp when one is out of order.</summary>
    public ImageEvidenceOptions Validated()
    {
        ArgumentNullException.ThrowIfNull(Sharpness);
        ArgumentNullException.ThrowIfNull(Coverage);
        Sharpness.Validated("evidence.sharpness");
        Coverage.Validated("evidence.coverage");
        if (!Sharpness.HigherIsBetter || Coverage.HigherIsBetter)
        {
            throw new MatchingArgumentException("evidence", "sharpness must be higher-is-better and coverage (flat share) lower-is-better");
        }

        return this;
    }
}
