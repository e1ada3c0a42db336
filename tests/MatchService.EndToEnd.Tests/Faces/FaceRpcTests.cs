using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Matching.Verify;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>Verify sets, bad input and degraded faces through the running server (calibrated on samples 1–3).</summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class FaceRpcTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    private static VerifyImage Item(string id, byte[] bytes) => new() { Image = new Image { Id = id, Data = ByteString.CopyFrom(bytes) } };

    private static IReadOnlyList<VerifyImage> FourViews(SampleFace face) =>
        [Item("original", face.Original), .. face.Variants.Take(3).Select(v => Item(v.Key, v.Value))];

    [ModelsFact]
    public async Task FourViewsOfOneFaceAreSameAndAnotherPersonMakesItDifferent()
    {
        using var channel = fixture.Server!.CreateChannel();
        var face = fixture.Faces.First(f => f.Sample == 5 && f.Variants.Count >= 3);
        var other = fixture.Faces.First(f => f.Sample == 5 && f.Identity != face.Identity);
        var same = await channel.VerifyAsync([new VerifyRequest { Images = { FourViews(face) } }]);
        var different = await channel.VerifyAsync([new VerifyRequest { Images = { FourViews(face), Item("stranger", other.Original) } }]);
        output.WriteLine($"same set fused {same.FusedSimilarity:F3} {same.Verdict}: {same.DataModel.Explanation}");
        output.WriteLine($"with stranger fused {different.FusedSimilarity:F3} {different.Verdict}: {different.DataModel.Explanation}");
        Assert.Equal(Verdict.Same, same.Verdict);
        Assert.Equal(6, same.Pairs.Count);
        Assert.Equal(Verdict.Different, different.Verdict);
        Assert.Equal(10, different.Pairs.Count);
        Assert.Equal([(0, 1), (0, 2), (0, 3), (0, 4), (1, 2)], different.Pairs.Take(5).Select(p => (p.First, p.Second)));
        Assert.Equal(1.0, different.Pairs.Sum(p => p.Weight), 3);
        Assert.True(same.DataModel.Calibrated);
        Assert.Equal(15, same.DataModel.Neighbours.Count);
    }

    [ModelsFact]
    public async Task OneMessagePerImageGivesTheSameResultAsOneMessage()
    {
        using var channel = fixture.Server!.CreateChannel();
        var views = FourViews(fixture.Faces.First(f => f.Sample == 6 && f.Variants.Count >= 3));
        var together = await channel.VerifyAsync([new VerifyRequest { Images = { views } }]);
        var apart = await channel.VerifyAsync(views.Select(v => new VerifyRequest { Images = { v } }));
        Assert.Equal(together.FusedSimilarity, apart.FusedSimilarity);
        Assert.Equal(together.Pairs, apart.Pairs);
        Assert.Equal(together.Verdict, apart.Verdict);
    }

    [ModelsFact]
    public async Task SetSizeAndFacelessImagesAreRejectedByName()
    {
        using var channel = fixture.Server!.CreateChannel();
        var face = fixture.Faces[0];
        var one = await Assert.ThrowsAsync<RpcException>(() => channel.VerifyAsync([new VerifyRequest { Images = { Item("only", face.Original) } }]));
        Assert.Equal(StatusCode.InvalidArgument, one.StatusCode);
        Assert.Contains("at least two", one.Status.Detail);

        var many = Enumerable.Range(0, 65).Select(i => Item($"i{i}", face.Original)).ToList();
        var tooMany = await Assert.ThrowsAsync<RpcException>(() => channel.VerifyAsync([new VerifyRequest { Images = { many } }]));
        Assert.Equal(StatusCode.InvalidArgument, tooMany.StatusCode);
        Assert.Contains("64", tooMany.Status.Detail);

        using var decoded = new ImageDecoder().Decode(face.Original);
        var blank = RgbImage.Rent(decoded.Image.Width, decoded.Image.Height);
        blank.Pixels.Fill(200);
        var plain = JpegFiles.Encode(blank);
        blank.Dispose();
        var faceless = await Assert.ThrowsAsync<RpcException>(() => channel.VerifyAsync([new VerifyRequest { Images = { Item("a", face.Original), Item("b", face.Variants.First().Value), Item("wall", plain) } }]));
        Assert.Equal(StatusCode.FailedPrecondition, faceless.StatusCode);
        Assert.Contains("'wall'", faceless.Status.Detail);

        var ignored = await channel.VerifyAsync([new VerifyRequest
        {
            Options = new Contracts.V1.VerifyOptions { IgnoreFacelessImages = true },
            Images = { Item("a", face.Original), Item("b", face.Variants.First().Value), Item("wall", plain) },
        }]);
        Assert.True(ignored.Images[2].Excluded);
        Assert.Equal(Verdict.Same, ignored.Verdict);
        Assert.Single(ignored.Pairs);
    }

    [ModelsFact]
    public async Task BadImagesAndVectorsNameTheField()
    {
        using var channel = fixture.Server!.CreateChannel();
        var face = fixture.Faces[0];
        var broken = await Assert.ThrowsAsync<RpcException>(() => channel.CompareAsync(
            CompareEvaluationTests.Request(face.Original, "good", face.Original[..(face.Original.Length / 3)], "cut.jpg")));
        Assert.Equal(StatusCode.InvalidArgument, broken.StatusCode);
        Assert.Contains("'cut.jpg'", broken.Status.Detail);

        var wrong = new CompareRequest
        {
            First = new CompareInput { Precomputed = new FeatureWithConfidence { Feature = { new float[5] }, Confidence = { new float[5] } } },
            Second = new CompareInput { Image = new Image { Id = "x", Data = ByteString.CopyFrom(face.Original) } },
        };
        var dims = await Assert.ThrowsAsync<RpcException>(() => channel.CompareAsync(wrong));
        Assert.Equal(StatusCode.InvalidArgument, dims.StatusCode);
        Assert.Contains("first.precomputed.feature", dims.Status.Detail);
    }

    [ModelsFact]
    public async Task PrecomputedVectorsGiveTheSameAnswerAsImages()
    {
        using var channel = fixture.Server!.CreateChannel();
        var face = fixture.Faces.First(f => f.Sample == 4);
        var byImage = await channel.CompareAsync(CompareEvaluationTests.Request(face.Original, "a", face.Variants["jpeg40"], "b"));
        var byVectors = await channel.CompareAsync(new CompareRequest
        {
            First = new CompareInput { Precomputed = byImage.First.Vectors },
            Second = new CompareInput { Precomputed = byImage.Second.Vectors },
        });
        Assert.Equal(byImage.Distance, byVectors.Distance, 4);
        Assert.Equal(byImage.Verdict, byVectors.Verdict);
        Assert.Equal(ConfidenceSource.TestTimeAugmentation, byImage.First.ConfidenceSource);
        Assert.Equal(128, byImage.First.Vectors.Confidence.Count);
    }

    [ModelsFact]
    public async Task BlurredOrCoveredFacesAreUndetermined()
    {
        using var channel = fixture.Server!.CreateChannel();
        var results = new List<(string Name, CompareResponse Response)>();
        foreach (var face in fixture.Faces.Where(f => f.Sample >= 4))
        {
            foreach (var (name, jpeg, box) in FaceDataset.Degraded(face))
            {
                var request = CompareEvaluationTests.Request(face.Original, face.Identity, jpeg, $"{face.Identity}-{name}");
                request.Second.FaceBox = new Box { X = box.X, Y = box.Y, Width = box.Width, Height = box.Height };
                var r = await channel.CompareAsync(request);
                results.Add(($"{face.Identity}-{name}", r));
                var second = r.Second.Face;
                output.WriteLine($"{face.Identity} {name,-13} C={r.Coincidence:F3} e={second.Evidence:F3} (sharpness {second.RelativeSharpness:F3} -> {second.SharpnessTerm:F2}, flat {second.FlatCellShare:F3} -> {second.CoverageTerm:F2}) views {second.ViewConfidence:F3} clean side e={r.First.Face.Evidence:F3} {r.Verdict}");
                Assert.Equal(second.Evidence * second.ViewConfidence, second.MeanConfidence, 3);
            }
        }

        Assert.Equal(4 * fixture.Faces.Count(f => f.Sample >= 4), results.Count);
        var confident = results.Where(r => r.Response.Verdict != Verdict.Undetermined).Select(r => r.Name).ToList();
        Assert.True(confident.Count == 0, $"confident answers for degraded faces: {string.Join(", ", confident)}");
        Assert.All(results, r => Assert.False(r.Response.HasSimilarity));
    }
}
