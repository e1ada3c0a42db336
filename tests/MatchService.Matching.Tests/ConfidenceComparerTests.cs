using MatchService.Matching.Calibration;
using MatchService.Matching.Compare;

namespace MatchService.Matching.Tests;

public class ConfidenceComparerTests
{
    private static readonly CompareOptions Options = new() { Curve = new LogisticSimilarity(4.0, -4.0) };

    private static ConfidentFeature Feature(float[] x, float[] y) => ConfidentFeature.Create(x, y, "f");

    [Fact]
    public void DistanceEqualsPlainSquaredDistanceWhenAllConfidencesAreEqual()
    {
        var rng = new Random(21);
        var comparer = new ConfidenceComparer(Options);
        foreach (var length in new[] { 5, 16, 128, 131 })
        {
            foreach (var level in new[] { 0.75f, 1f })
            {
                var x1 = TestVectors.Gaussian(rng, length);
                var x2 = TestVectors.Gaussian(rng, length);
                var y = Enumerable.Repeat(level, length).ToArray();
                var result = comparer.Compare(Feature(x1, y), Feature(x2, y));
                var expected = TestVectors.SquaredDistance(x1, x2);
                Assert.Equal(expected, result.Distance!.Value, expected * 1e-5);
                Assert.Equal(level * level, result.Coincidence, 1e-6);
            }
        }
    }

    [Fact]
    public void DistanceFollowsTheFormulaOnAHandCase()
    {
        // d = 2: C = (1·1 + 0.5·1)/2 = 0.75; D = 2·(1²·1 + 2²·0.5)/(1.5) = 4.
        var result = new ConfidenceComparer(Options).Compare(Feature([1, 2], [1, 0.5f]), Feature([0, 0], [1, 1]));
        Assert.Equal(0.75, result.Coincidence, 1e-9);
        Assert.Equal(4.0, result.Distance!.Value, 1e-6);
        Assert.Equal(1.0 / (1.0 + Math.Exp((4.0 * 4.0) - 4.0)), result.Similarity!.Value, 1e-12);
        Assert.Equal(CompareVerdict.Different, result.Verdict);
    }

    [Fact]
    public void UndeterminedExactlyBelowTheCoincidenceThreshold()
    {
        var comparer = new ConfidenceComparer(Options with { CoincidenceThreshold = 0.5 });
        float[] x = [0.1f, 0.2f, 0.3f, 0.4f];
        float[] ones = [1, 1, 1, 1];

        // C = ⟨Y1, 1⟩ / 4 = 0.5 exactly: decided.
        var at = comparer.Compare(Feature(x, [0.5f, 0.5f, 0.5f, 0.5f]), Feature(x, ones));
        Assert.Equal(0.5, at.Coincidence);
        Assert.NotEqual(CompareVerdict.Undetermined, at.Verdict);
        Assert.NotNull(at.Similarity);

        var below = comparer.Compare(Feature(x, [0.5f, 0.5f, 0.5f, 0.49f]), Feature(x, ones));
        Assert.True(below.Coincidence < 0.5);
        Assert.Equal(CompareVerdict.Undetermined, below.Verdict);
        Assert.Null(below.Distance);
        Assert.Null(below.Similarity);
    }

    [Fact]
    public void ZeroOverlapIsUndeterminedEvenWithAZeroThreshold()
    {
        var comparer = new ConfidenceComparer(Options with { CoincidenceThreshold = 0 });
        var result = comparer.Compare(Feature([1, 2], [1, 0]), Feature([1, 2], [0, 1]));
        Assert.Equal(CompareVerdict.Undetermined, result.Verdict);
        Assert.Equal(0, result.Coincidence);
    }

    [Fact]
    public void SimilarityFallsMonotonicallyWithDistanceAndDecidesAtTs()
    {
        var curve = new LogisticSimilarity(3.0, -2.0);
        var previous = double.PositiveInfinity;
        for (var d = 0.0; d <= 4.0; d += 0.05)
        {
            var s = curve.Similarity(d);
            Assert.True(s < previous, $"S({d}) = {s} is not below {previous}");
            Assert.InRange(s, 0, 1);
            previous = s;
        }

        // Extreme arguments neither overflow nor produce NaN.
        Assert.Equal(0, curve.Similarity(1e6), 12);
        Assert.Equal(1, curve.Similarity(-1e6), 12);

        // S = 0.5 at D = −B/A; a distance just below it is SAME, just above DIFFERENT.
        var comparer = new ConfidenceComparer(new CompareOptions { Curve = curve });
        var boundary = curve.DistanceAt(0.5);
        Assert.Equal(2.0 / 3.0, boundary, 1e-12);
        float[] ones = [1];
        var same = comparer.Compare(Feature([0], ones), Feature([(float)Math.Sqrt(boundary * 0.98)], ones));
        var different = comparer.Compare(Feature([0], ones), Feature([(float)Math.Sqrt(boundary * 1.02)], ones));
        Assert.Equal(CompareVerdict.Same, same.Verdict);
        Assert.Equal(CompareVerdict.Different, different.Verdict);
    }

    [Fact]
    public void ResultReportsTheOptionsItUsed()
    {
        var options = Options with { CoincidenceThreshold = 0.3, SimilarityThreshold = 0.7 };
        var result = new ConfidenceComparer(options).Compare(Feature([1], [1]), Feature([1], [1]));
        Assert.Same(options, result.Options);
        Assert.Equal(1, result.Dimension);
    }

    [Fact]
    public void InvalidInputsNameTheField()
    {
        Assert.Equal("first.confidence", Assert.Throws<MatchingArgumentException>(() => ConfidentFeature.Create([1, 2], [1], "first")).Field);
        Assert.Equal("first.confidence[0]", Assert.Throws<MatchingArgumentException>(() => ConfidentFeature.Create([1], [-0.1f], "first")).Field);
        Assert.Equal("first.feature[0]", Assert.Throws<MatchingArgumentException>(() => ConfidentFeature.Create([float.PositiveInfinity], [1], "first")).Field);
        Assert.Equal("first.feature", Assert.Throws<MatchingArgumentException>(() => ConfidentFeature.Create([], [], "first")).Field);
        var comparer = new ConfidenceComparer(Options);
        Assert.Equal("second.feature", Assert.Throws<MatchingArgumentException>(() => comparer.Compare(Feature([1, 2], [1, 1]), Feature([1], [1]))).Field);
        Assert.Equal("A", Assert.Throws<MatchingArgumentException>(() => new ConfidenceComparer(new CompareOptions { Curve = new LogisticSimilarity(-1, 0) })).Field);
        Assert.Equal("coincidence_threshold", Assert.Throws<MatchingArgumentException>(() => new ConfidenceComparer(Options with { CoincidenceThreshold = 1.5 })).Field);
    }
}
