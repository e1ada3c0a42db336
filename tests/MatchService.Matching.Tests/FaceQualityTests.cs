using MatchService.Matching.Verify;

namespace MatchService.Matching.Tests;

public class FaceQualityTests
{
    private readonly FaceQuality _quality = new();

    [Fact]
    public void TermsAreMappedToTheUnitIntervalAsDocumented()
    {
        var r = _quality.Evaluate(new FaceMeasurements(0.8, 100, 56, 0.5), "img");
        Assert.Equal(0.8, r.Detector);
        Assert.Equal(0.5, r.Sharpness, 1e-12);
        Assert.Equal(0.5, r.Size, 1e-12);
        Assert.Equal(0.5, r.Confidence);

        // Weighted geometric mean with exponents 0.2, 0.4, 0.2, 0.2.
        var expected = Math.Exp((0.2 * Math.Log(0.8)) + (0.4 * Math.Log(0.5)) + (0.2 * Math.Log(0.5)) + (0.2 * Math.Log(0.5)));
        Assert.Equal(expected, r.Quality, 1e-12);
        Assert.False(string.IsNullOrWhiteSpace(r.Reason));
        Assert.Equal(1.0, _quality.Evaluate(new FaceMeasurements(0.9, 10, 500, null), "img").Size);
    }

    [Fact]
    public void QualityRisesWithEachTermAndStaysInRange()
    {
        var rng = new Random(41);
        for (var i = 0; i < 200; i++)
        {
            var m = new FaceMeasurements(rng.NextDouble(), rng.NextDouble() * 1000, 1 + (rng.NextDouble() * 300), rng.NextDouble());
            var q = _quality.Evaluate(m, "img").Quality;
            Assert.InRange(q, 0.0, 1.0);
            Assert.True(_quality.Evaluate(m with { LaplacianVariance = m.LaplacianVariance + 50 }, "img").Quality > q);
            Assert.True(_quality.Evaluate(m with { DetectorScore = Math.Min(1, m.DetectorScore + 0.05) }, "img").Quality >= q);
        }

        // A perfect detector score does not rescue a blurred face.
        Assert.True(_quality.Evaluate(new FaceMeasurements(1.0, 1, 200, 1.0), "img").Quality < 0.2);
    }

    [Fact]
    public void OutOfRangeMeasurementsNameTheField()
    {
        Assert.Equal("images[2].detector_score", Assert.Throws<MatchingArgumentException>(() => _quality.Evaluate(new FaceMeasurements(1.2, 1, 1, null), "images[2]")).Field);
        Assert.Equal("images[0].sharpness", Assert.Throws<MatchingArgumentException>(() => _quality.Evaluate(new FaceMeasurements(0.5, -1, 1, null), "images[0]")).Field);
        Assert.Equal("images[0].face_size", Assert.Throws<MatchingArgumentException>(() => _quality.Evaluate(new FaceMeasurements(0.5, 1, 0, null), "images[0]")).Field);
        Assert.Equal("images[0].mean_confidence", Assert.Throws<MatchingArgumentException>(() => _quality.Evaluate(new FaceMeasurements(0.5, 1, 1, 2), "images[0]")).Field);
    }
}
