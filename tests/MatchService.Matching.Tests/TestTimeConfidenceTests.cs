using MatchService.Matching.Compare;

namespace MatchService.Matching.Tests;

public class TestTimeConfidenceTests
{
    [Fact]
    public void MeanAndConfidenceFollowTheFormula()
    {
        // Two views, d = 2: dimension 0 agrees, dimension 1 differs by ±1 around 0 (σ = 1).
        var result = TestTimeConfidence.FromViews([[2f, 1f], [2f, -1f]], new TestTimeConfidenceOptions { Tau = 0.5 });
        Assert.Equal([2f, 0f], result.Feature.Feature.ToArray());
        Assert.Equal(1f, result.Feature.Confidence[0]);
        Assert.Equal(1.0 / (1.0 + 4.0), result.Feature.Confidence[1], 1e-6);
        Assert.Equal(0.5, result.Tau);
        Assert.Equal(2, result.ViewCount);
    }

    [Fact]
    public void RelativeTauScalesWithTheEmbedding()
    {
        var rng = new Random(5);
        var baseView = TestVectors.Gaussian(rng, 32);
        var views = Enumerable.Range(0, 4).Select(_ => baseView.Zip(TestVectors.Gaussian(rng, 32, 0.1), (a, n) => a + n).ToArray()).ToArray();
        var scaled = views.Select(v => v.Select(x => x * 10f).ToArray()).ToArray();
        var small = TestTimeConfidence.FromViews(views);
        var large = TestTimeConfidence.FromViews(scaled);
        Assert.Equal(small.Tau * 10, large.Tau, small.Tau * 1e-4);
        for (var i = 0; i < 32; i++)
        {
            Assert.Equal(small.Feature.Confidence[i], large.Feature.Confidence[i], 1e-4);
        }

        // Noisier views give lower mean confidence.
        var noisy = Enumerable.Range(0, 4).Select(_ => baseView.Zip(TestVectors.Gaussian(rng, 32, 1.0), (a, n) => a + n).ToArray()).ToArray();
        Assert.True(TestTimeConfidence.FromViews(noisy).Feature.MeanConfidence < small.Feature.MeanConfidence);
    }

    [Fact]
    public void RejectsTooFewOrMismatchedViews()
    {
        Assert.Equal("views", Assert.Throws<MatchingArgumentException>(() => TestTimeConfidence.FromViews([[1f]])).Field);
        Assert.Equal("views[1]", Assert.Throws<MatchingArgumentException>(() => TestTimeConfidence.FromViews([[1f, 2f], [1f]])).Field);
        Assert.Equal("views[0][1]", Assert.Throws<MatchingArgumentException>(() => TestTimeConfidence.FromViews([[1f, float.NaN], [1f, 2f]])).Field);
    }
}
