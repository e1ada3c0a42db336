using MatchService.Matching.Vectors;

namespace MatchService.Matching.Compare;

/// <summary>A feature vector X and its confidence vector Y (same dimension, each y_i in [0, 1]), seed 002.</summary>
public sealed class ConfidentFeature
{
    private readonly float[] _feature;
    private readonly float[] _confidence;

    private ConfidentFeature(float[] feature, float[] confidence)
    {
        _feature = feature;
        _confidence = confidence;
    }

    /// <summary>X.</summary>
    public ReadOnlySpan<float> Feature => _feature;

    /// <summary>Y.</summary>
    public ReadOnlySpan<float> Confidence => _confidence;

    /// <summary>d.</summary>
    public int Dimension => _feature.Length;

    /// <summary>Mean of Y (reported per side; Verify uses it as a quality term).</summary>
    public double MeanConfidence => System.Numerics.Tensors.TensorPrimitives.Sum<float>(_confidence) / (double)_confidence.Length;

    /// <summary>
    /// Validates and copies: X finite, Y finite and in [0, 1], equal lengths. <paramref name="field"/> prefixes
    /// error names, e.g. <c>first</c> gives <c>first.confidence[3]</c>.
    /// </summary>
    public static ConfidentFeature Create(ReadOnlySpan<float> feature, ReadOnlySpan<float> confidence, string field)
    {
        VectorChecks.RequireFinite(feature, $"{field}.feature");
        VectorChecks.RequireSameLength(feature.Length, confidence.Length, $"{field}.confidence");
        VectorChecks.RequireUnitInterval(confidence, $"{field}.confidence");
        return new ConfidentFeature(feature.ToArray(), confidence.ToArray());
    }
}
