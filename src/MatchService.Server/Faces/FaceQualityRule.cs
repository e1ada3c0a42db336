using MatchService.Matching.Verify;

namespace MatchService.Server.Faces;

/// <summary>Matching's <see cref="FaceQuality"/> measured on an analysed face (full size = the embedder's input side).</summary>
internal sealed class FaceQualityRule(int fullSizePixels)
{
    private readonly FaceQuality _quality = new(new FaceQualityOptions { FullSizePixels = fullSizePixels });

    /// <summary>q and its terms.</summary>
    public FaceQualityResult Evaluate(AnalyzedFace face, string field)
    {
        ArgumentNullException.ThrowIfNull(face);
        var side = Math.Max(1, Math.Min(face.Box.Width, face.Box.Height));
        return _quality.Evaluate(new FaceMeasurements(Math.Clamp(face.DetectorScore, 0, 1), face.LaplacianVariance, side,
            Math.Clamp(face.Feature.MeanConfidence, 0, 1)), field);
    }
}
