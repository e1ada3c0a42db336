using System.Numerics.Tensors;
using MatchService.Matching.Persons;

namespace MatchService.Matching.Tests;

public class PersonRepresentationTests
{
    [Fact]
    public void LayoutIsGlobalThenHeadShoulderWithWeightedUnitParts()
    {
        var rng = new Random(61);
        var rule = new PersonWeightRule();
        foreach (var luminance in new[] { 0.1, 0.6 })
        {
            var fg = TestVectors.Gaussian(rng, 24, 3);
            var fh = TestVectors.Gaussian(rng, 16, 0.2);
            var w = rule.Decide(new AppearanceMeasurement(luminance, 0, 1, 1));
            var f = PersonRepresentation.Build(fg, fh, w);

            Assert.Equal(40, f.Length);
            Assert.Equal(w.Global, TensorPrimitives.Norm<float>(f.AsSpan(0, 24)), 1e-5);
            Assert.Equal(w.HeadShoulder, TensorPrimitives.Norm<float>(f.AsSpan(24)), 1e-5);
            var gNorm = TensorPrimitives.Norm<float>(fg);
            for (var i = 0; i < 24; i++)
            {
                Assert.Equal(w.Global * fg[i] / gNorm, f[i], 1e-5);
            }

            var hNorm = TensorPrimitives.Norm<float>(fh);
            for (var i = 0; i < 16; i++)
            {
                Assert.Equal(w.HeadShoulder * fh[i] / hNorm, f[24 + i], 1e-5);
            }
        }
    }

    [Fact]
    public void ZeroOrNonFinitePartsAreNamedErrors()
    {
        var w = PersonWeightRule.FromModel(0.5, "m");
        Assert.Equal("global_feature", Assert.Throws<MatchingArgumentException>(() => PersonRepresentation.Build([0f, 0f], [1f], w)).Field);
        Assert.Equal("head_shoulder_feature[0]", Assert.Throws<MatchingArgumentException>(() => PersonRepresentation.Build([1f], [float.NaN], w)).Field);
    }
}
