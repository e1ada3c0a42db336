using MatchService.Matching.Calibration;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Verify;

/// <summary>Who built a calibration file, and for which model (the caller's facts; the builder does no I/O).</summary>
/// <param name="ModelName">The recognition model.</param>
/// <param name="ModelVersion">Its version.</param>
/// <param name="CommandLine">The command that ran.</param>
/// <param name="Created">The time to record.</param>
public sealed record CalibrationProvenance(string ModelName, string ModelVersion, string CommandLine, DateTimeOffset Created);

/// <summary>
/// Builds a <see cref="CalibrationFile"/> from identity-labelled embeddings: fits A, B on labelled pairs, then fuses
/// sampled genuine and impostor sets with that calibrated similarity, and records the EERs of both.
/// </summary>
public static class CalibrationBuilder
{
    /// <summary>Builds the file (deterministic for the same inputs and seed).</summary>
    public static CalibrationFile Build(
        IReadOnlyList<IdentityEmbedding> items,
        VectorMetric metric,
        CalibrationSamplingOptions sampling,
        CalibrationProvenance provenance,
        LogisticCalibrationOptions? fitOptions = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentNullException.ThrowIfNull(provenance);
        var pairs = CalibrationSetSampler.SamplePairs(items, metric, sampling);
        var fit = LogisticCalibration.Fit(pairs, fitOptions);
        var similarity = new LogisticDistanceSimilarity(metric, fit.Curve);
        var (genuine, impostor) = CalibrationSetSampler.SampleFusedScores(items, similarity, sampling);
        var fused = genuine.Select(s => new LabeledScore(s, true)).Concat(impostor.Select(s => new LabeledScore(s, false))).ToArray();
        var fusedEer = ErrorRates.EqualErrorRate(fused, ScoreDirection.HigherIsGenuine);
        return new CalibrationFile
        {
            ModelName = provenance.ModelName,
            ModelVersion = provenance.ModelVersion,
            Created = provenance.Created,
            CommandLine = provenance.CommandLine,
            Metric = metric.Kind,
            Normalize = metric.Normalize,
            A = fit.Curve.A,
            B = fit.Curve.B,
            GenuinePairs = fit.GenuineCount,
            ImpostorPairs = fit.ImpostorCount,
            PairEer = fit.Errors.Rate,
            PairEerThreshold = fit.Errors.Point.Threshold,
            Weighting = sampling.Weighting,
            SetSizeMin = sampling.SetSizeMin,
            SetSizeMax = sampling.SetSizeMax,
            Seed = sampling.Seed,
            FusedEer = fusedEer.Rate,
            FusedEerThreshold = fusedEer.Point.Threshold,
            GenuineScores = genuine,
            ImpostorScores = impostor,
        };
    }
}
