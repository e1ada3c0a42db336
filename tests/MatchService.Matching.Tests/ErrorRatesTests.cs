using MatchService.Matching.Calibration;

namespace MatchService.Matching.Tests;

public class ErrorRatesTests
{
    private static readonly LabeledScore[] Scores =
    [
        new(0.9, true), new(0.8, true), new(0.7, true), new(0.4, true),
        new(0.6, false), new(0.3, false), new(0.2, false), new(0.1, false),
    ];

    [Fact]
    public void FarAndFrrAtAThreshold()
    {
        var p = ErrorRates.At(Scores, 0.5, ScoreDirection.HigherIsGenuine);
        Assert.Equal(0.25, p.FalseAcceptRate);
        Assert.Equal(0.25, p.FalseRejectRate);
        var inclusive = ErrorRates.At(Scores, 0.6, ScoreDirection.HigherIsGenuine);
        Assert.Equal(0.25, inclusive.FalseAcceptRate);
        var strict = ErrorRates.At(Scores, 0.65, ScoreDirection.HigherIsGenuine);
        Assert.Equal(0, strict.FalseAcceptRate);
        Assert.Equal(0.25, strict.FalseRejectRate);
    }

    [Fact]
    public void EqualErrorRateOnSimilaritiesAndOnDistances()
    {
        var eer = ErrorRates.EqualErrorRate(Scores, ScoreDirection.HigherIsGenuine);
        Assert.Equal(0.25, eer.Rate);
        Assert.Equal(0.25, eer.Point.FalseAcceptRate);
        Assert.Equal(0.25, eer.Point.FalseRejectRate);

        // The same data as distances (1 − s) give the same rate with threshold 1 − s.
        var distances = Scores.Select(s => s with { Value = 1 - s.Value }).ToArray();
        var deer = ErrorRates.EqualErrorRate(distances, ScoreDirection.LowerIsGenuine);
        Assert.Equal(0.25, deer.Rate);
        Assert.Equal(1 - eer.Point.Threshold, deer.Point.Threshold, 1e-12);
    }
}
