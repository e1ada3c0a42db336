using System.Drawing;
using MatchService.Inference.Decoding;
using MatchService.Matching.Compare;

namespace MatchService.Server.Faces;

/// <summary>One face through the whole chain: where it is, how it was found, and its feature with confidence.</summary>
/// <param name="Box">Face box in image pixels.</param>
/// <param name="DetectorScore">Detector confidence (1 when the client gave the box).</param>
/// <param name="ClientBox">True when the box came from the request.</param>
/// <param name="Landmarks">The 68 points.</param>
/// <param name="Crop">The recognition crop (square window in image pixels).</param>
/// <param name="LaplacianVariance">Sharpness of the aligned face (variance of the Laplacian on its grey values).</param>
/// <param name="Feature">X and Y.</param>
/// <param name="ConfidenceFromModel">True when Y is the model's own output, false when it comes from test-time views.</param>
/// <param name="Views">K (test-time views) or 1.</param>
/// <param name="Tau">τ used for the test-time confidence (0 when not used).</param>
public sealed record AnalyzedFace(
    RectangleF Box,
    float DetectorScore,
    bool ClientBox,
    FaceLandmarks68 Landmarks,
    Rectangle Crop,
    double LaplacianVariance,
    ConfidentFeature Feature,
    bool ConfidenceFromModel,
    int Views,
    double Tau);
