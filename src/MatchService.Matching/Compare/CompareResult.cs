namespace MatchService.Matching.Compare;

/// <summary>What CompareWithConfidence found, with the values it used.</summary>
/// <param name="Verdict">SAME, DIFFERENT or UNDETERMINED.</param>
/// <param name="Coincidence">C = ⟨Y1, Y2⟩ / d.</param>
/// <param name="Distance">D = d·⟨(X1 − X2)², Y1∗Y2⟩ / ⟨Y1, Y2⟩; null when undetermined.</param>
/// <param name="Similarity">S = 1 / (1 + exp(A·D + B)); null when undetermined.</param>
/// <param name="Dimension">d.</param>
/// <param name="Options">T_c, T_s, A and B as used.</param>
public sealed record CompareResult(
    CompareVerdict Verdict,
    double Coincidence,
    double? Distance,
    double? Similarity,
    int Dimension,
    CompareOptions Options);
