using MatchService.Matching.Compare;

namespace MatchService.Matching.Evidence;

/// <summary>
/// What the face pipeline measures on the aligned face crop (grey values, 0–255) for <see cref="ImageEvidence"/>.
/// </summary>
/// <param name="LaplacianVariance">Variance of the 4-neighbour Laplacian of the crop (≥ 0; reported, Verify's quality uses it).</param>
/// <param name="LumaStdDev">Standard deviation of the crop's grey values (its contrast, ≥ 0).</param>
/// <param name="DetailStdDev">Standard deviation of the grey detail at the scale of facial features: the crop minus a
/// copy scaled down to a few pixels per feature and back up (≥ 0).</param>
/// <param name="FlatCellShare">Share in [0, 1] of the crop's grid cells that are flat (see the face pipeline's meter).</param>
public sealed record EvidenceMeasurements(double LaplacianVariance, double LumaStdDev, double DetailStdDev, double FlatCellShare)
{
    /// <summary>
    /// Sharpness relative to contrast: detail standard deviation / grey standard deviation. Dimensionless, so uniform
    /// brightening or darkening (which scales both) leaves it alone, while blur removes the detail and keeps the broad
    /// shading. 0 for a flat crop.
    /// </summary>
    public double RelativeSharpness => LumaStdDev > 1e-9 ? DetailStdDev / LumaStdDev : 0;
}

/// <summary>The evidence factor e and its terms.</summary>
/// <param name="Factor">e = sharpness term × coverage term, in [0, 1].</param>
/// <param name="RelativeSharpness">The measured relative sharpness.</param>
/// <param name="SharpnessTerm">The sharpness ramp's value.</param>
/// <param name="FlatCellShare">The measured flat share.</param>
/// <param name="CoverageTerm">The coverage ramp's value.</param>
/// <param name="Options">The ramps used.</param>
public sealed record ImageEvidenceResult(double Factor, double RelativeSharpness, double SharpnessTerm, double FlatCellShare, double CoverageTerm, ImageEvidenceOptions Options);

/// <summary>
/// How much usable detail the image holds, as a factor e in [0, 1] that multiplies every confidence component:
/// Y' = e · Y. The test-time views measure how stable each component of X is; they cannot see that a face without
/// detail (blurred away, mostly covered) gives a stable but meaningless X — with dlib's descriptor such views even agree
/// more than those of a clean face. e says that the image itself gives no grounds for the feature, so
/// C = ⟨Y1', Y2'⟩ / d falls with it and such a comparison is UNDETERMINED. The descriptor's components are not spatial,
/// so one global factor applies to all of them.
/// </summary>
public static class ImageEvidence
{
    /// <summary>e and its terms for one face; <paramref name="field"/> names it in errors.</summary>
    public static ImageEvidenceResult Evaluate(EvidenceMeasurements measurements, ImageEvidenceOptions? options, string field)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        options = (options ?? new ImageEvidenceOptions()).Validated();
        Require(measurements.LaplacianVariance >= 0 && double.IsFinite(measurements.LaplacianVariance), field, "laplacian_variance", measurements.LaplacianVariance, "a finite value ≥ 0");
        Require(measurements.LumaStdDev >= 0 && double.IsFinite(measurements.LumaStdDev), field, "luma_std_dev", measurements.LumaStdDev, "a finite value ≥ 0");
        Require(measurements.DetailStdDev >= 0 && double.IsFinite(measurements.DetailStdDev), field, "detail_std_dev", measurements.DetailStdDev, "a finite value ≥ 0");
        Require(measurements.FlatCellShare is >= 0 and <= 1, field, "flat_cell_share", measurements.FlatCellShare, "[0, 1]");

        var sharpness = measurements.RelativeSharpness;
        var sharpnessTerm = options.Sharpness.Evaluate(sharpness);
        var coverageTerm = options.Coverage.Evaluate(measurements.FlatCellShare);
        return new ImageEvidenceResult(sharpnessTerm * coverageTerm, sharpness, sharpnessTerm, measurements.FlatCellShare, coverageTerm, options);
    }

    /// <summary>Y' = e · Y (X unchanged).</summary>
    public static ConfidentFeature Apply(ConfidentFeature feature, double factor, string field)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (!(factor is >= 0 and <= 1))
        {
            throw new MatchingArgumentException($"{field}.evidence", $"is {factor}; expected [0, 1]");
        }

        var y = feature.Confidence.ToArray();
        System.Numerics.Tensors.TensorPrimitives.Multiply(y, (float)factor, y);
        return ConfidentFeature.Create(feature.Feature, y, field);
    }

    private static void Require(bool ok, string field, string name, double value, string expected)
    {
        if (!ok)
        {
            throw new MatchingArgumentException($"{field}.{name}", $"is {value}; expected {expected}");
        }
    }
}
