using MatchService.Matching.Vectors;

namespace MatchService.Matching.Tests;

public class VectorMetricTests
{
    [Fact]
    public void EuclideanMatchesScalarReferenceOnRandomVectors()
    {
        var rng = new Random(11);
        foreach (var length in new[] { 1, 3, 7, 8, 17, 128, 513 })
        {
            var a = TestVectors.Gaussian(rng, length);
            var b = TestVectors.Gaussian(rng, length);
            var expected = TestVectors.SquaredDistance(a, b);
            Assert.Equal(expected, VectorMetric.Euclidean.SquaredDistance(a, b), expected * 1e-5);
            Assert.Equal(Math.Sqrt(expected), VectorMetric.Euclidean.Distance(a, b), Math.Sqrt(expected) * 1e-5);
        }
    }

    [Fact]
    public void NormalisedEuclideanEqualsDistanceOfUnitVectorsAndIgnoresScale()
    {
        var rng = new Random(12);
        var a = TestVectors.Gaussian(rng, 64);
        var b = TestVectors.Gaussian(rng, 64);
        var expected = TestVectors.SquaredDistance(VectorMetric.Normalized(a, "a"), VectorMetric.Normalized(b, "b"));
        var scaled = a.Select(x => x * 7.5f).ToArray();
        Assert.Equal(expected, VectorMetric.UnitEuclidean.SquaredDistance(a, b), 1e-5);
        Assert.Equal(expected, VectorMetric.UnitEuclidean.SquaredDistance(scaled, b), 1e-5);
        Assert.InRange(VectorMetric.UnitEuclidean.Distance(a, b), 0, 2);
    }

    [Fact]
    public void CosineDistanceIsOneMinusCosine()
    {
        float[] a = [1, 0];
        float[] b = [0, 3];
        float[] c = [-2, 0];
        Assert.Equal(1.0, VectorMetric.Cosine.Distance(a, b), 1e-9);
        Assert.Equal(2.0, VectorMetric.Cosine.Distance(a, c), 1e-9);
        Assert.Equal(0.0, VectorMetric.Cosine.Distance(a, a), 1e-9);
        Assert.Equal(4.0, VectorMetric.Cosine.SquaredDistance(a, c), 1e-9);
    }

    [Fact]
    public void MismatchedLengthsAndZeroVectorsAreNamedErrors()
    {
        var ex = Assert.Throws<MatchingArgumentException>(() => VectorMetric.Euclidean.Distance([1, 2], [1, 2, 3]));
        Assert.Equal("b", ex.Field);
        Assert.Contains("expected 2", ex.Message, StringComparison.Ordinal);
        var zero = Assert.Throws<MatchingArgumentException>(() => VectorMetric.Cosine.Distance([0, 0], [1, 2]));
        Assert.Equal("a", zero.Field);
        Assert.Throws<MatchingArgumentException>(() => VectorMetric.Normalized([0f, 0f], "x"));
    }

    [Fact]
    public void FiniteAndRangeChecksNameTheElement()
    {
        var ex = Assert.Throws<MatchingArgumentException>(() => VectorChecks.RequireFinite([1f, float.NaN], "first.feature"));
        Assert.Equal("first.feature[1]", ex.Field);
        var range = Assert.Throws<MatchingArgumentException>(() => VectorChecks.RequireUnitInterval([0.5f, 1.5f], "second.confidence"));
        Assert.Equal("second.confidence[1]", range.Field);
        Assert.IsAssignableFrom<ArgumentException>(range);
    }
}
