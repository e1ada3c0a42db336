namespace MatchService.Matching.Calibration;

/// <summary>A labelled calibration value: a distance or a fused score, from a genuine or an impostor pair/set.</summary>
/// <param name="Value">The distance or score.</param>
/// <param name="Genuine">True when both sides show the same identity.</param>
public readonly record struct LabeledScore(double Value, bool Genuine);
