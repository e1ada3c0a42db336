using MatchService.Matching.Calibration;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;

namespace MatchService.Matching.Tests;

public class PairwiseFusionTests
{
    private static readonly LogisticSimilarity Curve = new(1.0, -2.0);
    private static readonly LogisticDistanceSimilarity Similarity = new(VectorMetric.Euclidean, Curve);

    /// <summary>
    /// Seed 000, FIG. 11: portraits A, B, C, D give the six similarities AB, AC, AD, BC, BD, CD; A and B are clearer than
    /// C and D, so AB weighs most and CD least, and the fused similarity is the weighted sum.
    /// </summary>
    [Fact]
    public void SeedExampleFourPortraitsGiveSixWeightedSimilarities()
    {
        // Squared distances: AB 1, AC 4, AD 9, BC 5, BD 4, CD 13.
        float[][] portraits = [[0, 0], [1, 0], [0, 2], [3, 0]];
        var quality = new FaceQuality();
        double[] q =
        [
            quality.Evaluate(new FaceMeasurements(0.99, 400, 160, 0.9), "A").Quality,
            quality.Evaluate(new FaceMeasurements(0.98, 350, 150, 0.9), "B").Quality,
            quality.Evaluate(new FaceMeasurements(0.90, 30, 60, 0.7), "C").Quality,
            quality.Evaluate(new FaceMeasurements(0.85, 20, 50, 0.6), "D").Quality,
        ];

        var result = PairwiseFusion.Fuse(portraits, q, Weighting.Quality, Similarity);

        Assert.Equal(6, result.Pairs.Count);
        (int, int)[] order = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)];
        double[] squared = [1, 4, 9, 5, 4, 13];
        for (var k = 0; k < 6; k++)
        {
            Assert.Equal(order[k], (result.Pairs[k].First, result.Pairs[k].Second));
            Assert.Equal(1.0 / (1.0 + Math.Exp(squared[k] - 2.0)), result.Pairs[k].Similarity, 1e-6);
            Assert.Equal(q[order[k].Item1] * q[order[k].Item2] / Total(q), result.Pairs[k].Weight, 1e-12);
        }

        Assert.Equal(1.0, result.Pairs.Sum(p => p.Weight), 1e-12);
        var ab = result.Pairs[0].Weight;
        var cd = result.Pairs[5].Weight;
        Assert.Equal(ab, result.Pairs.Max(p => p.Weight));
        Assert.Equal(cd, result.Pairs.Min(p => p.Weight));
        Assert.Equal(result.Pairs.Sum(p => p.Weight * p.Similarity), result.Fused, 1e-12);

        // The clear pair AB is the most similar here, so quality weighting lifts the fused score above the uniform one.
        var uniform = PairwiseFusion.Fuse(portraits, q, Weighting.Uniform, Similarity);
        Assert.All(uniform.Pairs, p => Assert.Equal(1.0 / 6, p.Weight, 1e-12));
        Assert.True(result.Fused > uniform.Fused);
    }

    private static double Total(double[] q)
    {
        double t = 0;
        for (var i = 0; i < q.Length; i++)
        {
            for (var j = i + 1; j < q.Length; j++)
            {
                t += q[i] * q[j];
            }
        }

        return t;
    }

    [Fact]
    public void WeightsSumToOneAndFavourSharperImagesOnRandomSets()
    {
        var rng = new Random(31);
        var quality = new FaceQuality();
        for (var trial = 0; trial < 50; trial++)
        {
            var n = rng.Next(2, 9);
            var sharpness = Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 500).ToArray();
            var q = sharpness.Select(s => quality.Evaluate(new FaceMeasurements(0.95, s, 120, null), "img").Quality).ToArray();
            var w = PairwiseFusion.Weights(q, Weighting.Quality);
            Assert.Equal(PairwiseFusion.PairCount(n), w.Length);
            Assert.Equal(1.0, w.Sum(), 1e-12);

            // With everything else equal, the pair of the two sharpest images carries the largest weight.
            var sharpest = sharpness.Select((s, i) => (s, i)).OrderByDescending(t => t.s).Take(2).Select(t => t.i).Order().ToArray();
            var index = PairIndex(sharpest[0], sharpest[1], n);
            Assert.Equal(w.Max(), w[index], 1e-15);
        }
    }

    private static int PairIndex(int i, int j, int n)
    {
        var k = 0;
        for (var a = 0; a < n; a++)
        {
            for (var b = a + 1; b < n; b++, k++)
            {
                if (a == i && b == j)
                {
                    return k;
                }
            }
        }

        return -1;
    }

    [Fact]
    public void ZeroQualitiesFallBackToEqualWeights()
    {
        var w = PairwiseFusion.Weights([0, 0, 0], Weighting.Quality);
        Assert.All(w, x => Assert.Equal(1.0 / 3, x, 1e-12));
    }
}
