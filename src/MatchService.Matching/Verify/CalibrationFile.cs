using MatchService.Matching.Vectors;

namespace MatchService.Matching.Verify;

/// <summary>
/// The data model file written by <c>matchctl calibrate</c> for one deployed model: the logistic curve (A, B) for
/// pairwise similarities, and the fused scores of genuine and impostor sets that Verify's k-NN vote runs over.
/// </summary>
public sealed record CalibrationFile
{
    /// <summary>The format tag every file carries.</summary>
    public const string FormatName = "matchservice.verify-calibration";

    /// <summary>The format version this code reads and writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>Always <see cref="FormatName"/>.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The format version.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>The recognition model the scores belong to.</summary>
    public required string ModelName { get; init; }

    /// <summary>Its version.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>When the file was built.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>The command line that built it.</summary>
    public required string CommandLine { get; init; }

    /// <summary>Euclidean or cosine.</summary>
    public required MetricKind Metric { get; init; }

    /// <summary>Whether embeddings were L2-normalised before the distance.</summary>
    public required bool Normalize { get; init; }

    /// <summary>A of S = 1 / (1 + exp(A·D + B)) on squared distances.</summary>
    public required double A { get; init; }

    /// <summary>B of the curve.</summary>
    public required double B { get; init; }

    /// <summary>Genuine pairs the curve was fitted on.</summary>
    public int GenuinePairs { get; init; }

    /// <summary>Impostor pairs the curve was fitted on.</summary>
    public int ImpostorPairs { get; init; }

    /// <summary>Equal-error rate of the pair distances.</summary>
    public double PairEer { get; init; }

    /// <summary>The squared-distance threshold at the pair EER.</summary>
    public double PairEerThreshold { get; init; }

    /// <summary>Weighting used for the fused scores (calibrate with the weighting the service uses).</summary>
    public Weighting Weighting { get; init; } = Weighting.Quality;

    /// <summary>Smallest set size drawn.</summary>
    public int SetSizeMin { get; init; }

    /// <summary>Largest set size drawn.</summary>
    public int SetSizeMax { get; init; }

    /// <summary>The sampling seed.</summary>
    public ulong Seed { get; init; }

    /// <summary>Equal-error rate of the fused scores.</summary>
    public double FusedEer { get; init; }

    /// <summary>Fused-score threshold at the fused EER (a sensible fallback threshold for this model).</summary>
    public double FusedEerThreshold { get; init; }

    /// <summary>Fused scores of genuine sets.</summary>
    public required IReadOnlyList<double> GenuineScores { get; init; }

    /// <summary>Fused scores of impostor sets.</summary>
    public required IReadOnlyList<double> ImpostorScores { get; init; }

    /// <summary>The data model Verify votes over.</summary>
    public VerifyDataModel ToDataModel() => new(GenuineScores, ImpostorScores);

    /// <summary>The metric the file was built with.</summary>
    public VectorMetric ToMetric() => new(Metric, Normalize);

    /// <summary>The fitted pairwise curve.</summary>
    public Calibration.LogisticSimilarity ToCurve() => new(A, B);
}
