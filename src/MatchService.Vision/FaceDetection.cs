using System.Drawing;

namespace MatchService.Vision;

/// <summary>A detected face: its box in image pixels (may reach past the image border) and its score in [0, 1].</summary>
public readonly record struct FaceDetection(RectangleF Box, float Score);
