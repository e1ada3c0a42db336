namespace MatchService.Matching.Verify;

/// <summary>Verify's answer.</summary>
public enum SetVerdict
{
    /// <summary>All images show one person.</summary>
    Same,

    /// <summary>The images show more than one person.</summary>
    Different,
}

/// <summary>What decided the verdict.</summary>
public enum DecisionSource
{
    /// <summary>Majority of the k nearest calibration scores.</summary>
    DataModel,

    /// <summary>No calibration file: the configured threshold on the fused similarity.</summary>
    Threshold,
}
