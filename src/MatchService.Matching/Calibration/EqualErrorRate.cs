namespace MatchService.Matching.Calibration;

/// <summary>Error rates of a labelled score set at one threshold.</summary>
/// <param name="Threshold">The threshold (accept at ≥ for similarities, ≤ for distances).</param>
/// <param name="FalseAcceptRate">Share of impostors accepted.</param>
/// <param name="FalseRejectRate">Share of genuine items rejected.</param>
public readonly record struct OperatingPoint(double Threshold, double FalseAcceptRate, double FalseRejectRate);

/// <summary>The equal-error rate: where FAR and FRR are closest, reported as their mean, with that threshold.</summary>
/// <param name="Rate">(FAR + FRR) / 2 at <see cref="Point"/>.</param>
/// <param name="Point">The threshold and its FAR and FRR.</param>
/// <param name="Direction">Whether the scores are similarities or distances.</param>
public sealed record EqualErrorRate(double Rate, OperatingPoint Point, ScoreDirection Direction);
