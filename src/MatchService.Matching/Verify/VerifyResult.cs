namespace MatchService.Matching.Verify;

/// <summary>Verify's answer with everything it used.</summary>
/// <param name="Verdict">SAME or DIFFERENT.</param>
/// <param name="Source">Data model (k-NN over the calibration file) or the fallback threshold.</param>
/// <param name="Fusion">Pairwise similarities, weights and the fused similarity.</param>
/// <param name="Qualities">q per image as used for the weights.</param>
/// <param name="Position">Where the fused score lies in the data model; null when the threshold decided.</param>
/// <param name="Threshold">The threshold that decided; null when the data model did.</param>
/// <param name="Options">k, weighting, fallback threshold.</param>
public sealed record VerifyResult(
    SetVerdict Verdict,
    DecisionSource Source,
    FusionResult Fusion,
    IReadOnlyList<double> Qualities,
    DataModelPosition? Position,
    double? Threshold,
    VerifyOptions Options);
