using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Imaging;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>
/// A non-face is not a face: the labelled non-face set (NonFaces/, animals, objects, scenes, textures and drawings, made
/// by NonFaces/make-non-faces.sh) gives no face, and CompareWithConfidence says so with FAILED_PRECONDITION naming the
/// image; the 22 faces of the sample photos pass the second opinion (landmark check and descriptor length), and no
/// face crop or change that the detector finds is lost to it.
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class NonFaceTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    /// <summary>The labelled non-face images.</summary>
    public static IReadOnlyList<string> NonFaceFiles =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "tests", "MatchService.EndToEnd.Tests", "Faces", "NonFaces"), "*.jpg").Order(StringComparer.Ordinal).ToList();

    private static CompareInput Input(string id, byte[] bytes) => new() { Image = new Image { Id = id, Data = ByteString.CopyFrom(bytes) } };

    [ModelsFact]
    public async Task TheSecondOpinionRemovesEveryFalseFaceAndTheAnswerNamesTheImage()
    {
        using var channel = fixture.Server!.CreateChannel();
        var pipeline = fixture.Server.Services.GetRequiredService<FacePipeline>();
        var decoder = new ImageDecoder();
        var face = fixture.Faces[0].Original;
        Assert.True(NonFaceFiles.Count >= 30, $"the non-face set has {NonFaceFiles.Count} images");
        var detected = new List<string>();
        var accepted = new List<string>();
        foreach (var file in NonFaceFiles)
        {
            var id = Path.GetFileName(file);
            using var decoded = decoder.Decode(File.ReadAllBytes(file));
            if (await FaceDataset.AnyDetectionAsync(pipeline, decoded.Image))
            {
                detected.Add(id);
            }

            var call = channel.CompareAsync(new CompareRequest { First = Input("a-face.jpg", face), Second = Input(id, File.ReadAllBytes(file)) });
            try
            {
                await call;
                accepted.Add(id);
            }
            catch (RpcException e)
            {
                output.WriteLine($"{id}: {e.StatusCode} {e.Status.Detail}");
                Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
                Assert.Contains($"image '{id}' (second): no face found", e.Status.Detail, StringComparison.Ordinal);
            }
        }

        // README's table: the detector alone takes 4 of the 31 images for faces; the second opinion leaves none.
        output.WriteLine($"detector alone: {detected.Count} false ({string.Join(", ", detected)}); with the second opinion: {accepted.Count} ({string.Join(", ", accepted)})");
        Assert.NotEmpty(detected);
        Assert.True(accepted.Count == 0, $"false faces after the second opinion: {string.Join(", ", accepted)}");
    }

    [ModelsFact]
    public async Task ADetectionOnAnAnimalIsRejectedByTheLandmarkCheckWithItsReason()
    {
        // The cat is what a detector takes for a face at a low score bound; the answer gives the check's numbers.
        var pipeline = fixture.Server!.Services.GetRequiredService<FacePipeline>();
        using var decoded = new ImageDecoder().Decode(File.ReadAllBytes(NonFaceFiles.Single(f => f.EndsWith("animal-cat-head.jpg", StringComparison.Ordinal))));
        var lenient = new FaceOptions { MinDetectorScore = 0.05f };
        var detections = await pipeline.DetectAsync(decoded.Image, null, new StageClock(), CancellationToken.None, lenient.MinDetectorScore, fallback: true);
        Assert.NotEmpty(detections);
        var check = await pipeline.CheckAsync(decoded.Image, detections[0], null, new StageClock(), CancellationToken.None);
        output.WriteLine($"cat head: detector score {detections[0].Score:F2}, landmark disagreement {check.Disagreement:F3}");
        Assert.False(check.IsFace);
        Assert.True(check.Disagreement > new FaceOptions().MaxLandmarkDisagreement);
    }

    [ModelsFact]
    public async Task EveryFaceOfTheSamplePhotosPassesTheSecondOpinion()
    {
        // The 22 faces as the SSD finds them in the whole photos (the reference boxes of README's recall figures).
        var pipeline = fixture.Server!.Services.GetRequiredService<FacePipeline>();
        var decoder = new ImageDecoder();
        var checks = new List<FaceCheck>();
        foreach (var n in Enumerable.Range(1, 6))
        {
            using var decoded = decoder.Decode(File.ReadAllBytes(RepoPaths.Sample(n)));
            var ssd = pipeline.Models.FallbackDetector is not null;
            foreach (var detection in await pipeline.DetectAsync(decoded.Image, null, new StageClock(), CancellationToken.None, fallback: ssd))
            {
                var check = await pipeline.CheckAsync(decoded.Image, detection, null, new StageClock(), CancellationToken.None);
                checks.Add(check);
                var face = await pipeline.DescribeAsync(decoded.Image, detection.Box, detection.Score, false, check.Landmarks, check.Disagreement, null, new StageClock(), CancellationToken.None);
                Assert.True(face.DescriptorLength >= new FaceOptions().MinDescriptorLength, $"face at {detection.Box}: descriptor length {face.DescriptorLength:F3}");
            }
        }

        output.WriteLine($"landmark disagreement of the {checks.Count} faces: max {checks.Max(c => c.Disagreement):F3}");
        Assert.Equal(22, checks.Count);
        Assert.All(checks, c => Assert.True(c.IsFace, $"face at {c.Detection.Box} rejected: disagreement {c.Disagreement:F3}"));
    }

    [ModelsFact]
    public async Task TheNewPathLosesNoFaceCropOrChangeTheOldOneFound()
    {
        var pipeline = fixture.Server!.Services.GetRequiredService<FacePipeline>();
        var decoder = new ImageDecoder();
        Assert.Equal(22, fixture.Faces.Count);
        var worst = 0.0;
        var shortest = double.MaxValue;
        var missedByDetector = new List<string>();
        foreach (var face in fixture.Faces)
        {
            foreach (var (name, bytes) in face.Variants.Prepend(new("original", face.Original)))
            {
                using var decoded = decoder.Decode(bytes);
                var search = await pipeline.AnalyzeAsync(decoded.Image, null, face.Identity, null, new StageClock(), CancellationToken.None);
                worst = Math.Max(worst, search.Face?.LandmarkDisagreement ?? 0);
                shortest = Math.Min(shortest, search.Face?.DescriptorLength ?? double.MaxValue);
                if (search.Face is null)
                {
                    // Lost as before (the SSD, the old default detector, finds nothing in it), never lost by the new path.
                    Assert.False(await FaceDataset.SsdDetectsAsync(pipeline, decoded.Image), $"{face.Identity} {name}: {search.NoFaceReason}");
                    missedByDetector.Add($"{face.Identity}-{name}");
                }
            }
        }

        Assert.DoesNotContain(FaceDataset.Dropped, d => d.EndsWith(FaceDataset.LostToTheCheck, StringComparison.Ordinal));
        missedByDetector.AddRange(FaceDataset.Dropped);

        output.WriteLine($"largest landmark disagreement of a face: {worst:F3} (bound {new FaceOptions().MaxLandmarkDisagreement}); shortest descriptor {shortest:F3} (bound {new FaceOptions().MinDescriptorLength}); " +
            $"crops and changes the SSD misses (lost before too): {missedByDetector.Count} ({string.Join(", ", missedByDetector)})");
    }

    [ModelsFact]
    public async Task AnInvalidSecondOpinionSettingStopsTheStartNamingTheKey()
    {
        var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var server = await MatchServer.StartAsync(new Dictionary<string, string?> { ["Faces:MaxFaceCandidates"] = "0" });
        });
        Assert.Contains("Faces:MaxFaceCandidates must be at least 1", e.Message, StringComparison.Ordinal);
    }
}
