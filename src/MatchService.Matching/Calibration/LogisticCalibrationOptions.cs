namespace MatchService.Matching.Calibration;

/// <summary>Settings of the logistic fit.</summary>
public sealed record LogisticCalibrationOptions
{
    /// <summary>
    /// Ridge penalty λ on the slope of the standardised distance (objective: log-likelihood − λ/2·γ₁²).
    /// It only matters when genuine and impostor distances are perfectly separated, where the unpenalised
    /// maximum-likelihood slope is infinite; 0.01 keeps it finite while changing a fit on hundreds of pairs
    /// by far less than its sampling error. The intercept is not penalised.
    /// </summary>
    public double L2Penalty { get; init; } = 0.01;

    /// <summary>Newton iteration limit.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Stop when the largest parameter step is below this.</summary>
    public double Tolerance { get; init; } = 1e-10;
}
