namespace MatchService.Matching.Verify;

/// <summary>The measurements of one face that its quality is formed from.</summary>
/// <param name="DetectorScore">The detector's confidence, in [0, 1].</param>
/// <param name="LaplacianVariance">Variance of the Laplacian of the grey aligned face (≥ 0).</param>
/// <param name="FaceSidePixels">Shorter side of the face box in the original image, pixels (&gt; 0).</param>
/// <param name="MeanConfidence">Mean of the confidence vector, when the model or test-time views give one.</param>
public sealed record FaceMeasurements(double DetectorScore, double LaplacianVariance, double FaceSidePixels, double? MeanConfidence);

/// <summary>A face's quality and the terms it came from, each in [0, 1].</summary>
/// <param name="Quality">q.</param>
/// <param name="Detector">Detector term.</param>
/// <param name="Sharpness">Sharpness term v / (v + v½).</param>
/// <param name="Size">Size term min(1, side / full).</param>
/// <param name="Confidence">Mean-confidence term, or null when unknown.</param>
/// <param name="Reason">Why the terms are weighted as they are.</param>
/// <param name="Options">The mapping constants and exponents used.</param>
public sealed record FaceQualityResult(double Quality, double Detector, double Sharpness, double Size, double? Confidence, string Reason, FaceQualityOptions Options);

/// <summary>
/// The per-image quality q that weights Verify's pairwise similarities: a weighted geometric mean of four terms,
/// each mapped to [0, 1]. See <see cref="FaceQualityOptions"/> for the numbers and the reason.
/// </summary>
public sealed class FaceQuality
{
    private readonly FaceQualityOptions _options;

    /// <summary>Creates the rule.</summary>
    public FaceQuality(FaceQualityOptions? options = null)
    {
        _options = options ?? new FaceQualityOptions();
        if (!(_options.SharpnessHalfVariance > 0) || !(_options.FullSizePixels > 0))
        {
            throw new MatchingArgumentException("face_quality", "sharpness half-variance and full size must be positive");
        }
    }

    /// <summary>q for one face; <paramref name="field"/> names it in errors (e.g. <c>images[2]</c>).</summary>
    public FaceQualityResult Evaluate(FaceMeasurements m, string field)
    {
        ArgumentNullException.ThrowIfNull(m);
        Require(m.DetectorScore is >= 0 and <= 1, field, "detector_score", m.DetectorScore, "[0, 1]");
        Require(m.LaplacianVariance >= 0 && double.IsFinite(m.LaplacianVariance), field, "sharpness", m.LaplacianVariance, "a finite value ≥ 0");
        Require(m.FaceSidePixels > 0 && double.IsFinite(m.FaceSidePixels), field, "face_size", m.FaceSidePixels, "a positive number of pixels");
        if (m.MeanConfidence is { } c)
        {
            Require(c is >= 0 and <= 1, field, "mean_confidence", c, "[0, 1]");
        }

        var detector = m.DetectorScore;
        var sharpness = m.LaplacianVariance / (m.LaplacianVariance + _options.SharpnessHalfVariance);
        var size = Math.Min(1.0, m.FaceSidePixels / _options.FullSizePixels);

        double logSum = 0, weightSum = 0;
        Add(detector, _options.DetectorWeight);
        Add(sharpness, _options.SharpnessWeight);
        Add(size, _options.SizeWeight);
        if (m.MeanConfidence is { } confidence)
        {
            Add(confidence, _options.ConfidenceWeight);
        }

        var q = weightSum > 0 ? Math.Exp(logSum / weightSum) : 1.0;
        return new FaceQualityResult(q, detector, sharpness, size, m.MeanConfidence, _options.Reason, _options);

        void Add(double term, double weight)
        {
            logSum += weight * Math.Log(Math.Max(term, _options.TermFloor));
            weightSum += weight;
        }
    }

    private static void Require(bool ok, string field, string name, double value, string expected)
    {
        if (!ok)
        {
            throw new MatchingArgumentException($"{field}.{name}", $"is {value}; expected {expected}");
        }
    }
}
