using System.Drawing;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Imaging;
using MatchService.Matching.Evidence;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>
/// The image-evidence factor e on real faces: its ramps are fitted on samples 1–3 (clean faces against the same faces
/// blurred away or covered) and the shipped defaults must lie inside that fit's gap.
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class EvidenceTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    [ModelsFact]
    public async Task ShippedRampsLieInsideTheGapFittedOnSamples1To3()
    {
        var m = await MeasureAsync(fixture, [1, 2, 3]);
        foreach (var (name, list) in new[] { ("clean", m.Clean), ("blurred", m.Blurred), ("covered", m.Covered) })
        {
            output.WriteLine($"{name,-8} n={list.Count,3} sharpness {Range(list.Select(e => e.RelativeSharpness))} flat share {Range(list.Select(e => e.FlatCellShare))}");
        }

        var sharpness = EvidenceRamp.Fit(m.Clean.Select(e => e.RelativeSharpness).ToList(), m.Blurred.Select(e => e.RelativeSharpness).ToList(), true, "relative_sharpness");
        var coverage = EvidenceRamp.Fit(m.Clean.Select(e => e.FlatCellShare).ToList(), m.Covered.Select(e => e.FlatCellShare).ToList(), false, "flat_cell_share");
        output.WriteLine($"fitted on samples 1-3: sharpness ramp {sharpness.Ramp.Low:F4} -> {sharpness.Ramp.High:F4}, flat-share ramp {coverage.Ramp.Low:F4} -> {coverage.Ramp.High:F4}");
        var shipped = new ImageEvidenceOptions();
        output.WriteLine($"shipped: sharpness {shipped.Sharpness.Low} -> {shipped.Sharpness.High}, flat share {shipped.Coverage.Low} -> {shipped.Coverage.High}");
        Assert.InRange(shipped.Sharpness.Low, sharpness.Ramp.Low, sharpness.Ramp.High);
        Assert.InRange(shipped.Sharpness.High, sharpness.Ramp.Low, sharpness.Ramp.High);
        Assert.InRange(shipped.Coverage.Low, coverage.Ramp.High, coverage.Ramp.Low);
        Assert.InRange(shipped.Coverage.High, coverage.Ramp.High, coverage.Ramp.Low);
    }

    /// <summary>Evidence of clean faces (originals and changes) and of their blurred and covered versions.</summary>
    internal static async Task<EvidenceSamples> MeasureAsync(CalibratedFaceServer fixture, int[] samples)
    {
        var pipeline = fixture.Server!.Services.GetRequiredService<FacePipeline>();
        var decoder = new ImageDecoder();
        var result = new EvidenceSamples([], [], []);
        foreach (var face in fixture.Faces.Where(f => samples.Contains(f.Sample)))
        {
            foreach (var bytes in face.Variants.Values.Prepend(face.Original))
            {
                if (await AnalyzeAsync(bytes, null) is { } e)
                {
                    result.Clean.Add(e);
                }
            }

            foreach (var (name, bytes, box) in FaceDataset.Degraded(face))
            {
                var e = await AnalyzeAsync(bytes, box) ?? throw new InvalidOperationException("a client box always gives a face");
                (name == "blurred" ? result.Blurred : result.Covered).Add(e);
            }
        }

        return result;

        async Task<ImageEvidenceResult?> AnalyzeAsync(byte[] bytes, RectangleF? box)
        {
            using var decoded = decoder.Decode(bytes);
            var face = await pipeline.AnalyzeAsync(decoded.Image, box, "evidence", null, new StageClock(), CancellationToken.None);
            return face.Face?.Evidence;
        }
    }

    private static string Range(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return FormattableString.Invariant($"min {v[0]:F4} p50 {v[v.Length / 2]:F4} max {v[^1]:F4}");
    }
}

/// <summary>Evidence results by kind of face.</summary>
internal sealed record EvidenceSamples(List<ImageEvidenceResult> Clean, List<ImageEvidenceResult> Blurred, List<ImageEvidenceResult> Covered);
