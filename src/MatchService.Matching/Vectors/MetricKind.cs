namespace MatchService.Matching.Vectors;

/// <summary>How a model's embeddings are compared (its <c>config.json</c> says which).</summary>
public enum MetricKind
{
    /// <summary>Euclidean distance ‖a − b‖.</summary>
    Euclidean,

    /// <summary>Cosine distance 1 − cos(a, b).</summary>
    Cosine,
}
