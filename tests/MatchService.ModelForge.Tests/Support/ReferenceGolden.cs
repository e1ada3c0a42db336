using System.Drawing;
using System.Text.Json;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>The committed output of reference/make-golden.mjs (face-api 1.7.15 on tfjs-wasm).</summary>
internal sealed record ReferenceGolden(string Reference, double MinConfidence, IReadOnlyList<GoldenSample> Samples)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static readonly Lazy<ReferenceGolden> Shared = new(() => JsonSerializer.Deserialize<ReferenceGolden>(
        File.ReadAllText(RepoPaths.Golden("face-api-reference.json")), JsonOptions)!);

    public static ReferenceGolden Load() => Shared.Value;
}

internal sealed record GoldenSample(string File, int Width, int Height, IReadOnlyList<GoldenProbe> DetectorInputProbe,
    IReadOnlyList<GoldenAnchor> TopAnchors, IReadOnlyList<GoldenFace> Faces)
{
    public int Number => int.Parse(File.AsSpan(6, 1), provider: System.Globalization.CultureInfo.InvariantCulture);
}

internal sealed record GoldenProbe(int Y, int X, int C, float Value);

internal sealed record GoldenAnchor(int Index, float Score, float[] Box);

internal sealed record GoldenBox(double X, double Y, double Width, double Height)
{
    public RectangleF ToRectangleF() => new((float)X, (float)Y, (float)Width, (float)Height);

    public Rectangle ToRectangle() => new((int)X, (int)Y, (int)Width, (int)Height);
}

internal sealed record GoldenFace(float Score, GoldenBox Box, GoldenBox LandmarkCrop, float[][] Landmarks, GoldenBox AlignedCrop,
    float[] Descriptor, float[] DescriptorDiv255);
