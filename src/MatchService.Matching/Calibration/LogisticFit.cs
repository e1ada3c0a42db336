namespace MatchService.Matching.Calibration;

/// <summary>What <see cref="LogisticCalibration.Fit"/> found, with everything needed to reproduce it.</summary>
/// <param name="Curve">The fitted S = 1 / (1 + exp(A·D + B)).</param>
/// <param name="Iterations">Newton iterations used.</param>
/// <param name="Converged">Whether the step fell below the tolerance before the iteration limit.</param>
/// <param name="L2Penalty">The ridge penalty used on the standardised slope.</param>
/// <param name="GenuineCount">Number of genuine pairs.</param>
/// <param name="ImpostorCount">Number of impostor pairs.</param>
/// <param name="LogLikelihood">Log-likelihood of the data under the fit (without the penalty).</param>
/// <param name="Errors">Equal-error rate and its threshold on the distances (lower distance = genuine).</param>
public sealed record LogisticFit(
    LogisticSimilarity Curve,
    int Iterations,
    bool Converged,
    double L2Penalty,
    int GenuineCount,
    int ImpostorCount,
    double LogLikelihood,
    EqualErrorRate Errors);
