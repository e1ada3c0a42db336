using System.Drawing;
using MatchService.Matching.Compare;
using MatchService.Matching.Evidence;
using MatchService.Vision;

namespace MatchService.Server.Faces;

/// <summary>One face through the whole chain: where it is, how it was found, and its feature with confidence.</summary>
/// <param name="Box">Face box in image pixels.</param>
/// <param name="DetectorScore">Detector confidence (1 when the client gave the box).</param>
/// <param name="ClientBox">True when the box came from the request.</param>
/// <param name="Landmarks">The 68 points.</param>
/// <param name="Crop">The recognition crop (square window in image pixels).</param>
/// <param name="LaplacianVariance">Sharpness of the aligned face (variance of the Laplacian on its grey values).</param>
/// <param name="Feature">X and Y, Y already multiplied by the evidence factor e (<see cref="Evidence"/>).</param>
/// <param name="ConfidenceFromModel">True when Y is the model's own output, false when it comes from test-time views.</param>
/// <param name="Views">K (test-time views) or 1.</param>
/// <param name="Tau">τ used for the test-time confidence (0 when not used).</param>
/// <param name="Evidence">The image-evidence factor e of the aligned crop and its terms (null when disabled: e = 1).</param>
/// <param name="ViewConfidence">Mean of Y before e (agreement of the test-time views, or the model's own confidence).</param>
/// <param name="LandmarkDisagreement">The landmark check's measure (<see cref="LandmarkAgreement"/>); null for a client box or with the check off.</param>
internal sealed record AnalyzedFace(
    RectangleF Box,
    float DetectorScore,
    bool ClientBox,
    FaceLandmarks68 Landmarks,
    Rectangle Crop,
    double LaplacianVariance,
    ConfidentFeature Feature,
    bool ConfidenceFromModel,
    int Views,
    double Tau,
    ImageEvidenceResult? Evidence,
    double ViewConfidence,
    double? LandmarkDisagreement)
{
    /// <summary>
    /// The resolution the face was described at, as a share of the photo's (1: full resolution; less when a large JPEG
    /// was decoded scaled, <see cref="FaceFinder"/>). Box and crop are in the photo's own pixels either way.
    /// </summary>
    public double AnalysisScale { get; init; } = 1;

    /// <summary>Length of the feature X (the mean of the views' embeddings; 1 for a normalising embedder).</summary>
    public double DescriptorLength { get; } = Math.Sqrt(Feature.Feature.ToArray().Sum(v => (double)v * v));
}

/// <summary>A detection and the landmark net's second opinion on it.</summary>
/// <param name="Detection">The detector's box and score.</param>
/// <param name="Landmarks">The landmarks on the detection box.</param>
/// <param name="Disagreement">How far the landmarks moved with the crop window, in box sides (null with the check off).</param>
/// <param name="IsFace">True when the disagreement is within <see cref="FaceOptions.MaxLandmarkDisagreement"/>.</param>
internal sealed record FaceCheck(FaceDetection Detection, FaceLandmarks68 Landmarks, double? Disagreement, bool IsFace);

/// <summary>The face of an image, or why there is none.</summary>
/// <param name="Face">The analysed face; null when none was found.</param>
/// <param name="NoFaceReason">Why there is no face (for the FAILED_PRECONDITION message or Verify's exclusion).</param>
internal sealed record FaceSearch(AnalyzedFace? Face, string? NoFaceReason)
{
    /// <summary>A face was found.</summary>
    public static FaceSearch Found(AnalyzedFace face) => new(face, null);

    /// <summary>No face, and why.</summary>
    public static FaceSearch None(string reason) => new(null, reason);
}
