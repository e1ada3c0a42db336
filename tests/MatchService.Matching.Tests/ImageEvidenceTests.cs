using MatchService.Matching.Compare;
using MatchService.Matching.Calibration;
using MatchService.Matching.Evidence;

namespace MatchService.Matching.Tests;

public class ImageEvidenceTests
{
    private static readonly ImageEvidenceOptions Ramps = new()
    {
        Sharpness = new EvidenceRamp(0.2, 0.4),
        Coverage = new EvidenceRamp(0.6, 0.2, HigherIsBetter: false),
    };

    [Fact]
    public void FactorIsTheProductOfTheTwoRamps()
    {
        // Relative sharpness = detail / contrast = 12 / 40 = 0.3 → half way up; flat share 0.4 → half way down.
        var r = ImageEvidence.Evaluate(new EvidenceMeasurements(500, 40, 12, 0.4), Ramps, "first");
        Assert.Equal(0.3, r.RelativeSharpness, 1e-12);
        Assert.Equal(0.5, r.SharpnessTerm, 1e-12);
        Assert.Equal(0.5, r.CoverageTerm, 1e-12);
        Assert.Equal(0.25, r.Factor, 1e-12);
    }

    [Fact]
    public void RampsClampAndAFlatCropHasNoEvidence()
    {
        Assert.Equal(1, ImageEvidence.Evaluate(new EvidenceMeasurements(1, 10, 9, 0), Ramps, "x").Factor);
        Assert.Equal(0, ImageEvidence.Evaluate(new EvidenceMeasurements(0, 0, 0, 1), Ramps, "x").Factor);
        Assert.Equal(0, ImageEvidence.Evaluate(new EvidenceMeasurements(1, 10, 9, 0.6), Ramps, "x").Factor);
        Assert.Equal(0, ImageEvidence.Evaluate(new EvidenceMeasurements(1, 10, 2, 0), Ramps, "x").Factor);
    }

    [Fact]
    public void UniformBrightnessChangesLeaveTheFactorAlone()
    {
        // Scaling every grey value by k scales both standard deviations by k.
        var dim = ImageEvidence.Evaluate(new EvidenceMeasurements(100, 30, 9.3, 0.3), Ramps, "x");
        var bright = ImageEvidence.Evaluate(new EvidenceMeasurements(100 * 1.44, 30 * 1.2, 9.3 * 1.2, 0.3), Ramps, "x");
        Assert.Equal(dim.Factor, bright.Factor, 1e-12);
        Assert.InRange(dim.Factor, 0.01, 0.99);
    }

    [Fact]
    public void ApplyScalesEveryConfidenceAndKeepsTheFeature()
    {
        var f = ConfidentFeature.Create([1f, -2f, 3f], [1f, 0.5f, 0.8f], "first");
        var scaled = ImageEvidence.Apply(f, 0.5, "first");
        Assert.Equal(f.Feature.ToArray(), scaled.Feature.ToArray());
        Assert.Equal([0.5f, 0.25f, 0.4f], scaled.Confidence.ToArray());
        Assert.Equal(f.MeanConfidence * 0.5, scaled.MeanConfidence, 1e-6);
        var e = Assert.Throws<MatchingArgumentException>(() => ImageEvidence.Apply(f, 1.5, "first"));
        Assert.Equal("first.evidence", e.Field);
    }

    [Fact]
    public void NoEvidenceOnOneSideMakesTheComparisonUndetermined()
    {
        var comparer = new ConfidenceComparer(new CompareOptions { Curve = new LogisticSimilarity(50, -9) });
        var a = ConfidentFeature.Create([0.1f, 0.2f, 0.3f, 0.4f], [0.95f, 0.95f, 0.95f, 0.95f], "first");
        var b = ConfidentFeature.Create([0.1f, 0.2f, 0.3f, 0.4f], [1f, 1f, 1f, 1f], "second");
        Assert.Equal(CompareVerdict.Same, comparer.Compare(a, b).Verdict);
        var covered = ImageEvidence.Apply(b, 0.1, "second");
        var r = comparer.Compare(a, covered);
        Assert.Equal(CompareVerdict.Undetermined, r.Verdict);
        Assert.Equal(0.095, r.Coincidence, 1e-6);
        Assert.Null(r.Similarity);
    }

    [Fact]
    public void BadMeasurementsNameTheField()
    {
        var e = Assert.Throws<MatchingArgumentException>(() => ImageEvidence.Evaluate(new EvidenceMeasurements(1, 1, 1, 1.5), Ramps, "images[2]"));
        Assert.Equal("images[2].flat_cell_share", e.Field);
        e = Assert.Throws<MatchingArgumentException>(() => ImageEvidence.Evaluate(new EvidenceMeasurements(1, double.NaN, 1, 0), Ramps, "first"));
        Assert.Equal("first.luma_std_dev", e.Field);
        e = Assert.Throws<MatchingArgumentException>(() => ImageEvidence.Evaluate(new EvidenceMeasurements(1, 1, 1, 0),
            Ramps with { Sharpness = new EvidenceRamp(0.4, 0.2) }, "first"));
        Assert.Equal("evidence.sharpness", e.Field);
    }

    [Fact]
    public void FitSpansTheGapBetweenWorstCleanAndBestDegraded()
    {
        var sharp = EvidenceRamp.Fit([0.30, 0.25, 0.40], [0.05, 0.18, 0.10], higherIsBetter: true, "sharpness");
        Assert.Equal(new EvidenceRamp(0.18, 0.25), sharp.Ramp);
        Assert.Equal((3, 3), (sharp.CleanCount, sharp.DegradedCount));
        var flat = EvidenceRamp.Fit([0.0, 0.3, 0.1], [0.55, 0.9], higherIsBetter: false, "flat");
        Assert.Equal(new EvidenceRamp(0.55, 0.3, false), flat.Ramp);
        Assert.Equal(1, flat.Ramp.Evaluate(0.3));
        Assert.Equal(0, flat.Ramp.Evaluate(0.55));
        var overlap = Assert.Throws<MatchingArgumentException>(() => EvidenceRamp.Fit([0.2, 0.3], [0.25], true, "sharpness"));
        Assert.Contains("overlap", overlap.Message, StringComparison.Ordinal);
    }
}
