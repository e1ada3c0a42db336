namespace MatchService.Matching.Compare;

/// <summary>The three outcomes of CompareWithConfidence.</summary>
public enum CompareVerdict
{
    /// <summary>The confidences overlap too little (C &lt; T_c): no similarity is claimed.</summary>
    Undetermined,

    /// <summary>S ≥ T_s.</summary>
    Same,

    /// <summary>S &lt; T_s.</summary>
    Different,
}
