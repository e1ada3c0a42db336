using System.Numerics.Tensors;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Compare;

/// <summary>
/// Confidence from test-time augmentation, for models without a confidence output: K view embeddings of one
/// face (original, mirrored, small shifts) give X = their mean and y_i = 1 / (1 + (σ_i / τ)²), σ_i the per-dimension
/// standard deviation across views (population form, divided by K). A dimension that the views agree on gets
/// confidence near 1; one that swings by τ gets 0.5.
/// </summary>
public static class TestTimeConfidence
{
    /// <summary>Builds X and Y from the views; each view must be finite and of the same length, K ≥ 2.</summary>
    public static TestTimeConfidenceResult FromViews(IReadOnlyList<float[]> views, TestTimeConfidenceOptions? options = null)
    {
        options ??= new TestTimeConfidenceOptions();
        ArgumentNullException.ThrowIfNull(views);
        if (views.Count < 2)
        {
            throw new MatchingArgumentException("views", $"has {views.Count} view(s); test-time confidence needs at least 2 (e.g. original and mirrored)");
        }

        var d = views[0].Length;
        for (var k = 0; k < views.Count; k++)
        {
            VectorChecks.RequireFinite(views[k], $"views[{k}]");
            VectorChecks.RequireSameLength(d, views[k].Length, $"views[{k}]");
        }

        var mean = new float[d];
        foreach (var v in views)
        {
            TensorPrimitives.Add(mean, v, mean);
        }

        TensorPrimitives.Divide(mean, views.Count, mean);

        var variance = new double[d];
        foreach (var v in views)
        {
            for (var i = 0; i < d; i++)
            {
                var dev = (double)v[i] - mean[i];
                variance[i] += dev * dev;
            }
        }

        var tau = options.Tau ?? (options.TauRelativeToRms * TensorPrimitives.Norm<float>(mean) / Math.Sqrt(d));
        if (!(tau > 0) || !double.IsFinite(tau))
        {
            throw new MatchingArgumentException("tau", $"is {tau}; τ must be positive (the mean view embedding is zero, so a relative τ is undefined: set an absolute τ)");
        }

        var confidence = new float[d];
        for (var i = 0; i < d; i++)
        {
            var sigma = Math.Sqrt(variance[i] / views.Count);
            var ratio = sigma / tau;
            confidence[i] = (float)(1.0 / (1.0 + (ratio * ratio)));
        }

        return new TestTimeConfidenceResult(ConfidentFeature.Create(mean, confidence, "views"), tau, views.Count);
    }
}

/// <summary>Settings of <see cref="TestTimeConfidence"/>.</summary>
public sealed record TestTimeConfidenceOptions
{
    /// <summary>Absolute τ in embedding units; when null τ = <see cref="TauRelativeToRms"/> × RMS(X).</summary>
    public double? Tau { get; init; }

    /// <summary>
    /// Default 0.5: τ is half the typical per-dimension magnitude of the embedding (RMS of X = ‖X‖/√d), so the
    /// scale of the model's outputs (raw or unit-normalised) does not matter. A dimension whose views spread by half
    /// its typical size gets y = 0.5; a spread of a tenth gives y ≈ 0.96. With the default T_c = 0.5 a clean face
    /// (views agreeing within ~0.2 of the RMS, y ≈ 0.86 each, C ≈ 0.74) is decided, and an occluded or blurred face
    /// whose views disagree by about the RMS (y ≈ 0.2) is not.
    /// </summary>
    public double TauRelativeToRms { get; init; } = 0.5;
}

/// <summary>The averaged feature with its confidence, the τ used, and K.</summary>
/// <param name="Feature">X (mean of views) and Y.</param>
/// <param name="Tau">τ as used (absolute units).</param>
/// <param name="ViewCount">K.</param>
public sealed record TestTimeConfidenceResult(ConfidentFeature Feature, double Tau, int ViewCount);
