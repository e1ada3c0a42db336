using MatchService.Matching.Calibration;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;

namespace MatchService.Matching.Tests;

public class VerifyDataModelTests
{
    private static readonly VerifyDataModel Model = new([0.9, 0.85, 0.8, 0.75, 0.7], [0.2, 0.3, 0.4, 0.5, 0.6]);

    [Fact]
    public void MajorityOfTheKNearestDecides()
    {
        var same = Model.Locate(0.72, 3);
        Assert.Equal(SetVerdict.Same, same.Verdict);
        Assert.Equal([0.7, 0.75, 0.8], same.Neighbours.Select(n => n.Score));
        Assert.Equal(3, same.GenuineVotes);

        // Neighbours of 0.62: 0.6 (impostor, 0.02), 0.7 (genuine, 0.08), 0.5 (impostor, 0.12).
        var different = Model.Locate(0.62, 3);
        Assert.Equal(SetVerdict.Different, different.Verdict);
        Assert.Equal([0.6, 0.7, 0.5], different.Neighbours.Select(n => n.Score));
        Assert.Equal([false, true, false], different.Neighbours.Select(n => n.Genuine));
        Assert.Equal((1, 2), (different.GenuineVotes, different.ImpostorVotes));
        Assert.False(different.TieBroken);
        Assert.Equal(0.02, different.Neighbours[0].Distance, 1e-12);
    }

    [Fact]
    public void PercentilesAreMidRanksWithinEachClass()
    {
        var p = Model.Locate(0.62, 3);
        Assert.Equal(0, p.GenuinePercentile);
        Assert.Equal(100, p.ImpostorPercentile);
        var q = Model.Locate(0.75, 3);
        Assert.Equal(30, q.GenuinePercentile, 1e-12);  // one below, one equal: (1 + 0.5) / 5
        Assert.Equal(100, q.ImpostorPercentile);
        var r = Model.Locate(0.45, 3);
        Assert.Equal(60, r.ImpostorPercentile, 1e-12);
    }

    [Fact]
    public void TiesFollowTheDocumentedRule()
    {
        // k = 2 at 0.66: genuine 0.7 (0.04) and impostor 0.6 (0.06) tie 1–1; the genuine neighbour is closer.
        var closer = Model.Locate(0.66, 2);
        Assert.True(closer.TieBroken);
        Assert.Equal(SetVerdict.Same, closer.Verdict);

        // Exactly representable scores: 0.25 and 0.75 are both 0.25 from 0.5, so the mean distances are equal: DIFFERENT.
        var even = new VerifyDataModel([0.75, 0.875], [0.25, 0.125]).Locate(0.5, 2);
        Assert.True(even.TieBroken);
        Assert.Equal(SetVerdict.Different, even.Verdict);

        // Equal distances put the lower score first.
        Assert.Equal(0.25, even.Neighbours[0].Score);

        // At an identical score the impostor comes first.
        var identical = new VerifyDataModel([0.5, 0.9], [0.5, 0.1]);
        var first = identical.Locate(0.5, 1);
        Assert.False(first.Neighbours[0].Genuine);
        Assert.Equal(SetVerdict.Different, first.Verdict);
    }

    [Fact]
    public void KIsCappedByTheCalibrationSize()
    {
        var p = Model.Locate(0.5, 15);
        Assert.Equal(10, p.K);
        Assert.Equal(10, p.Neighbours.Count);
    }

    [Fact]
    public void KnnMatchesABruteForceReferenceOnRandomData()
    {
        var rng = new Random(51);
        var genuine = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble(), 2)).ToArray();
        var impostor = Enumerable.Range(0, 200).Select(_ => Math.Round(rng.NextDouble() * 0.8, 2)).ToArray();
        var model = new VerifyDataModel(genuine, impostor);
        var all = genuine.Select(s => (s, g: true)).Concat(impostor.Select(s => (s, g: false))).ToArray();
        for (var t = 0; t < 100; t++)
        {
            var x = Math.Round(rng.NextDouble(), 3);
            var k = 1 + rng.Next(25);
            var expected = all.OrderBy(e => Math.Abs(e.s - x)).ThenBy(e => e.s).ThenBy(e => e.g).Take(k).ToArray();
            var actual = model.Locate(x, k).Neighbours;
            Assert.Equal(expected.Select(e => (e.s, e.g)), actual.Select(n => (n.Score, n.Genuine)));
        }
    }

    [Fact]
    public void VerifierUsesTheDataModelOrSaysTheThresholdDecided()
    {
        var similarity = new LogisticDistanceSimilarity(VectorMetric.Euclidean, new LogisticSimilarity(1, -2));
        float[][] close = [[0, 0], [0.1f, 0], [0, 0.1f]];
        double[] q = [1, 1, 1];

        var withModel = new SetVerifier(new VerifyOptions { K = 3 }, similarity, Model).Verify(close, q);
        Assert.Equal(DecisionSource.DataModel, withModel.Source);
        Assert.NotNull(withModel.Position);
        Assert.Null(withModel.Threshold);
        Assert.Equal(SetVerdict.Same, withModel.Verdict);
        Assert.Equal(3, withModel.Fusion.Pairs.Count);

        var withoutModel = new SetVerifier(new VerifyOptions(), similarity, null).Verify(close, q);
        Assert.Equal(DecisionSource.Threshold, withoutModel.Source);
        Assert.Null(withoutModel.Position);
        Assert.Equal(0.5, withoutModel.Threshold);
        Assert.Equal(SetVerdict.Same, withoutModel.Verdict);

        float[][] far = [[0, 0], [3, 0]];
        Assert.Equal(SetVerdict.Different, new SetVerifier(new VerifyOptions(), similarity, null).Verify(far, [1, 1]).Verdict);
    }

    [Fact]
    public void VerifierRejectsBadSets()
    {
        var similarity = new LogisticDistanceSimilarity(VectorMetric.Euclidean, new LogisticSimilarity(1, -2));
        var verifier = new SetVerifier(new VerifyOptions { MaxImages = 3 }, similarity, null);
        var one = Assert.Throws<MatchingArgumentException>(() => verifier.Verify([[1f]], [1]));
        Assert.Equal("images", one.Field);
        Assert.Contains("at least 2", one.Message, StringComparison.Ordinal);
        Assert.Contains("at most 3", Assert.Throws<MatchingArgumentException>(() => verifier.Verify([[1f], [1f], [1f], [1f]], [1, 1, 1, 1])).Message, StringComparison.Ordinal);
        Assert.Equal("images[1].embedding", Assert.Throws<MatchingArgumentException>(() => verifier.Verify([[1f, 2f], [1f]], [1, 1])).Field);
        Assert.Equal("images[0].quality", Assert.Throws<MatchingArgumentException>(() => verifier.Verify([[1f], [1f]], [double.NaN, 1])).Field);
        Assert.Equal("genuine_scores", Assert.Throws<MatchingArgumentException>(() => new VerifyDataModel([], [0.1])).Field);
    }
}
