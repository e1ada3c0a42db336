using System.Drawing;
using MatchService.Contracts.V1;
using MatchService.Inference.Configuration;
using MatchService.Matching.Compare;

namespace MatchService.Server.Faces;

/// <summary>Conversions between the face pipeline's values and the match.v1 messages.</summary>
internal static class FaceProto
{
    /// <summary>Proto box from a rectangle.</summary>
    public static Box ToBox(RectangleF r) => new() { X = r.X, Y = r.Y, Width = r.Width, Height = r.Height };

    /// <summary>A client box, or null when absent.</summary>
    public static RectangleF? FromBox(Box? box) => box is null ? null : new RectangleF(box.X, box.Y, box.Width, box.Height);

    /// <summary>The verdict label of the <c>match_verdicts</c> counter: same, different, undetermined.</summary>
    public static string VerdictLabel(Verdict verdict) => verdict switch
    {
        Verdict.Same => "same",
        Verdict.Different => "different",
        Verdict.Undetermined => "undetermined",
        _ => "unspecified",
    };

    /// <summary>Model reference of a config.</summary>
    public static ModelRef ToRef(ModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new ModelRef
        {
            Name = config.Name,
            Version = config.Version,
            Source = config.Source == Inference.Configuration.ModelSource.Descriptor
                ? Contracts.V1.ModelSource.Descriptor
                : Contracts.V1.ModelSource.Model,
        };
    }

    /// <summary>The evidence ramps and whether they are applied, into the compare thresholds.</summary>
    public static void AddEvidence(CompareThresholds thresholds, FaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(options);
        thresholds.EvidenceEnabled = options.EvidenceEnabled;
        thresholds.EvidenceSharpnessLow = (float)options.EvidenceSharpnessLow;
        thresholds.EvidenceSharpnessHigh = (float)options.EvidenceSharpnessHigh;
        thresholds.EvidenceFlatShareLow = (float)options.EvidenceFlatShareLow;
        thresholds.EvidenceFlatShareHigh = (float)options.EvidenceFlatShareHigh;
    }

    /// <summary>X and Y with the producing model.</summary>
    public static FeatureWithConfidence ToVectors(ConfidentFeature feature, ModelRef model)
    {
        ArgumentNullException.ThrowIfNull(feature);
        var result = new FeatureWithConfidence { Model = model };
        result.Feature.Add(feature.Feature.ToArray());
        result.Confidence.Add(feature.Confidence.ToArray());
        return result;
    }

    /// <summary>The proto face for an analysed face and its quality terms.</summary>
    public static Face ToFace(AnalyzedFace face, double quality, double sharpness, double size)
    {
        ArgumentNullException.ThrowIfNull(face);
        return new Face
        {
            Box = ToBox(face.Box),
            DetectorScore = face.DetectorScore,
            Quality = (float)quality,
            Sharpness = (float)sharpness,
            SizeScore = (float)size,
            MeanConfidence = (float)face.Feature.MeanConfidence,
            BoxSource = face.ClientBox ? Contracts.V1.ModelSource.Client : Contracts.V1.ModelSource.Model,
            Evidence = (float)(face.Evidence?.Factor ?? 1),
            RelativeSharpness = (float)(face.Evidence?.RelativeSharpness ?? 0),
            SharpnessTerm = (float)(face.Evidence?.SharpnessTerm ?? 1),
            FlatCellShare = (float)(face.Evidence?.FlatCellShare ?? 0),
            CoverageTerm = (float)(face.Evidence?.CoverageTerm ?? 1),
            ViewConfidence = (float)face.ViewConfidence,
        };
    }
}
