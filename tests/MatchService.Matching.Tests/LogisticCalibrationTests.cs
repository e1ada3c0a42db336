using MatchService.Matching.Calibration;

namespace MatchService.Matching.Tests;

public class LogisticCalibrationTests
{
    /// <summary>Draws D uniformly and the label from the model P(genuine | D) = 1 / (1 + exp(A·D + B)).</summary>
    private static List<LabeledScore> DrawFromModel(double a, double b, int count, int seed)
    {
        var rng = new Random(seed);
        var curve = new LogisticSimilarity(a, b);
        var pairs = new List<LabeledScore>(count);
        for (var i = 0; i < count; i++)
        {
            var d = 4.0 * rng.NextDouble();
            pairs.Add(new LabeledScore(d, rng.NextDouble() < curve.Similarity(d)));
        }

        return pairs;
    }

    [Theory]
    [InlineData(3.0, -6.0, 1)]
    [InlineData(1.5, -2.0, 2)]
    [InlineData(6.0, -9.0, 3)]
    public void RecoversKnownParametersFromDataDrawnFromTheModel(double a, double b, int seed)
    {
        var fit = LogisticCalibration.Fit(DrawFromModel(a, b, 20000, seed));
        Assert.True(fit.Converged);
        Assert.Equal(a, fit.Curve.A, a * 0.08);
        Assert.Equal(b, fit.Curve.B, Math.Abs(b) * 0.08);

        // The 50% point −B/A is estimated much more tightly than A and B on their own.
        Assert.Equal(-b / a, fit.Curve.DistanceAt(0.5), 0.05);
    }

    [Fact]
    public void IsDeterministic()
    {
        var pairs = DrawFromModel(2, -3, 2000, 9);
        Assert.Equal(LogisticCalibration.Fit(pairs), LogisticCalibration.Fit(pairs));
    }

    [Fact]
    public void SeparableDataGiveAFiniteCurveThatSeparates()
    {
        var pairs = new List<LabeledScore>();
        for (var i = 0; i < 50; i++)
        {
            pairs.Add(new LabeledScore(0.2 + (0.01 * i), true));
            pairs.Add(new LabeledScore(1.2 + (0.01 * i), false));
        }

        var fit = LogisticCalibration.Fit(pairs);
        Assert.True(double.IsFinite(fit.Curve.A) && fit.Curve.A > 0);
        Assert.True(double.IsFinite(fit.Curve.B));
        Assert.InRange(fit.Curve.DistanceAt(0.5), 0.69, 1.2);
        Assert.True(fit.Curve.Similarity(0.69) > 0.9);
        Assert.True(fit.Curve.Similarity(1.2) < 0.1);
        Assert.Equal(0, fit.Errors.Rate);
    }

    [Fact]
    public void RejectsMissingClassesAndReversedLabels()
    {
        Assert.Equal("pairs", Assert.Throws<MatchingArgumentException>(() => LogisticCalibration.Fit([new(1, true), new(2, true)])).Field);
        var reversed = DrawFromModel(3, -6, 500, 4).Select(p => p with { Genuine = !p.Genuine }).ToList();
        var ex = Assert.Throws<MatchingArgumentException>(() => LogisticCalibration.Fit(reversed));
        Assert.Contains("not positive", ex.Message, StringComparison.Ordinal);
        Assert.Equal("pairs[1].distance", Assert.Throws<MatchingArgumentException>(() => LogisticCalibration.Fit([new(1, true), new(double.NaN, false)])).Field);
    }
}
