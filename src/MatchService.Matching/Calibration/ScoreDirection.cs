namespace MatchService.Matching.Calibration;

/// <summary>Which end of a score means "same identity".</summary>
public enum ScoreDirection
{
    /// <summary>Similarities: accept when score ≥ threshold.</summary>
    HigherIsGenuine,

    /// <summary>Distances: accept when score ≤ threshold.</summary>
    LowerIsGenuine,
}
