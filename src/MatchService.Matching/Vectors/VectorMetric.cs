using System.Numerics.Tensors;

namespace MatchService.Matching.Vectors;

/// <summary>
/// The metric a model's embeddings live in: euclidean or cosine, optionally on L2-normalised vectors.
/// Both vectors must be finite and of equal length (callers validate once at the boundary; this type checks
/// only lengths and zero norms, because it runs in the inner loops).
/// </summary>
/// <param name="Kind">Euclidean or cosine.</param>
/// <param name="Normalize">Compare a/‖a‖ and b/‖b‖ instead of the raw vectors (euclidean only; cosine ignores scale).</param>
public sealed record VectorMetric(MetricKind Kind, bool Normalize)
{
    /// <summary>Euclidean on L2-normalised vectors: the metric of ArcFace-style and re-identification models.</summary>
    public static VectorMetric UnitEuclidean { get; } = new(MetricKind.Euclidean, true);

    /// <summary>Plain euclidean distance (the dlib face model's metric).</summary>
    public static VectorMetric Euclidean { get; } = new(MetricKind.Euclidean, false);

    /// <summary>Cosine distance 1 − cos.</summary>
    public static VectorMetric Cosine { get; } = new(MetricKind.Cosine, false);

    /// <summary>The distance: ‖a − b‖ for euclidean, 1 − cos(a, b) for cosine.</summary>
    public double Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        Kind == MetricKind.Cosine ? CosineDistance(a, b) : Math.Sqrt(SquaredDistance(a, b));

    /// <summary>
    /// The squared distance: ‖a − b‖² for euclidean (the quantity the logistic similarity is calibrated on),
    /// (1 − cos)² for cosine.
    /// </summary>
    public double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (Kind == MetricKind.Cosine)
        {
            var d = CosineDistance(a, b);
            return d * d;
        }

        RequireSameLength(a, b);
        if (!Normalize)
        {
            var plain = (double)TensorPrimitives.Distance(a, b);
            return plain * plain;
        }

        // ‖a/|a| − b/|b|‖² = 2 − 2·cos(a, b): no temporary normalised copies.
        var cos = CosineOf(a, b);
        return Math.Max(0.0, 2.0 - (2.0 * cos));
    }

    /// <summary>L2-normalises <paramref name="values"/> in place; throws for a zero vector.</summary>
    public static void NormalizeInPlace(Span<float> values, string field)
    {
        var norm = TensorPrimitives.Norm((ReadOnlySpan<float>)values);
        if (!(norm > 0f) || !float.IsFinite(norm))
        {
            throw new MatchingArgumentException(field, "has zero (or non-finite) L2 norm and cannot be normalised");
        }

        TensorPrimitives.Divide(values, norm, values);
    }

    /// <summary>Returns an L2-normalised copy of <paramref name="values"/>.</summary>
    public static float[] Normalized(ReadOnlySpan<float> values, string field)
    {
        var copy = values.ToArray();
        NormalizeInPlace(copy, field);
        return copy;
    }

    private static double CosineDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => 1.0 - CosineOf(a, b);

    private static double CosineOf(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        RequireSameLength(a, b);
        var na = TensorPrimitives.Norm(a);
        var nb = TensorPrimitives.Norm(b);
        if (!(na > 0f) || !(nb > 0f))
        {
            throw new MatchingArgumentException(na > 0f ? "b" : "a", "has zero L2 norm; cosine and normalised distances are undefined");
        }

        var cos = TensorPrimitives.Dot(a, b) / ((double)na * nb);
        return Math.Clamp(cos, -1.0, 1.0);
    }

    private static void RequireSameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        VectorChecks.RequireSameLength(a.Length, b.Length, "b");
}
