namespace MatchService.Matching.Verify;

/// <summary>How the per-image quality q of Verify is formed from its four measurements.</summary>
public sealed record FaceQualityOptions
{
    /// <summary>
    /// Variance of the Laplacian (3×3, on the 8-bit grey aligned face) at which the sharpness term is 0.5; the term is
    /// v / (v + this). 100 is the customary blur cut-off for that operator on 8-bit images.
    /// </summary>
    public double SharpnessHalfVariance { get; init; } = 100;

    /// <summary>
    /// Face side (pixels, shorter side of the detected box) at and above which the size term is 1: the recogniser's
    /// input size, since smaller faces are upsampled and carry less detail. Set it to the model's input size.
    /// </summary>
    public double FullSizePixels { get; init; } = 112;

    /// <summary>Exponent of the detector-score term in the weighted geometric mean.</summary>
    public double DetectorWeight { get; init; } = 0.2;

    /// <summary>Exponent of the sharpness term.</summary>
    public double SharpnessWeight { get; init; } = 0.4;

    /// <summary>Exponent of the size term.</summary>
    public double SizeWeight { get; init; } = 0.2;

    /// <summary>Exponent of the mean-confidence term (dropped, and the others renormalised, when no confidence is known).</summary>
    public double ConfidenceWeight { get; init; } = 0.2;

    /// <summary>Each term is raised to at least this before combining, so q &gt; 0 and every image keeps some weight.</summary>
    public double TermFloor { get; init; } = 0.01;

    /// <summary>The reason for the weighting, reported with every quality.</summary>
    public string Reason { get; init; } =
        "q = weighted geometric mean of detector score, sharpness v/(v+v½), face size min(1, side/full) and mean confidence; " +
        "sharpness weighs most (0.4) because blur removes the fine detail identity depends on while detection can still succeed; " +
        "a geometric mean lets any single bad term (blurred, tiny, barely detected) pull the weight down, which an average would hide.";
}
