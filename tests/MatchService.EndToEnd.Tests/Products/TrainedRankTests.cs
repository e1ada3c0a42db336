using System.Globalization;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>
/// RankCandidates on every default: the CenterNet intent classifier with the COCO class table, apparel regions from
/// MoveNet's keypoints, ResNet18 product features and the refitted Products:MinRankValue.
/// </summary>
[Collection(PersonProductServers.Name)]
public sealed class TrainedRankTests(TrainedModelServer server, ITestOutputHelper output)
{
    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(120);

    [ServerFact]
    public async Task APersonDominantPhotoIsApparelSearchedByUpperAndLowerBodyWithTheEvidenceInTheAnswer()
    {
        var request = new RankRequest { Query = Photos.Image("group", Photos.Sample(4)) };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());

        var response = await server.Client.RankCandidatesAsync(request, deadline: Deadline);

        output.WriteLine(response.IntentReason);
        output.WriteLine(string.Join("; ", response.IntentEvidence.Select(e => $"{e.Label} {e.Score:F2} {e.AreaShare:P0} {e.CountsAs}")));
        output.WriteLine(string.Join("; ", response.Regions.Select(r => $"{r.Label} {r.Score:F2} {(int)r.Box.Width}x{(int)r.Box.Height}")));
        Assert.Equal(Intent.Apparel, response.Intent);
        Assert.Equal("intent_classifier", response.IntentModel.Name);
        Assert.Contains("person", response.IntentReason, StringComparison.Ordinal);
        Assert.Contains(response.IntentEvidence, e => e.Label == "person" && e.CountsAs == Intent.Apparel && e.AreaShare >= 0.15f);
        Assert.Equal("person_detector", response.Detector.Name);
        Assert.Contains(response.Regions, r => r.Label == "upper_body");
        Assert.All(response.Regions, r => Assert.True(r.Box.Width >= 1 && r.Box.Height >= 1));
    }

    [ServerFact]
    public async Task AQueryWithoutACommodityIsSkippedAndSaysWhatItSaw()
    {
        // The group photo as a distant scene: people small in a large frame, nothing one buys.
        var request = new RankRequest { Query = Photos.Image("distant", Photos.Edit(Photos.Sample(1), i => Photos.Distant(i, 3))) };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());

        var response = await server.Client.RankCandidatesAsync(request, deadline: Deadline);

        output.WriteLine(response.IntentReason);
        Assert.Equal(Intent.NonCommodity, response.Intent);
        Assert.True(response.SearchSkipped);
        Assert.Empty(response.Regions);
        Assert.NotEmpty(response.IntentEvidence);
        Assert.All(response.IntentEvidence, e => Assert.NotEqual(Intent.OtherCommodity, e.CountsAs));
    }
}

/// <summary>
/// Products:MinRankValue refitted for the ResNet18 product embedder on a labelled set, with the whole query searched
/// (the default server: no intent classifier, so every query is other commodity).
/// </summary>
[Collection(PersonProductServers.Name)]
public sealed class ProductFilterFitTests(DefaultModelServer server, ITestOutputHelper output)
{
    /// <summary>Products:MinRankValue's default (README's table says why).</summary>
    private const float MinRankValue = 1.45f;

    private static DateTime Deadline => DateTime.UtcNow.AddSeconds(120);

    [ServerFact]
    public async Task TheFilterDropsUnrelatedCandidatesAndKeepsTheSameObjectSeenAnotherWay()
    {
        // Labelled set: each top (torso) of samples 1–3 as the query; its other views — the same torso cut from the
        // mirrored photo (seen from the other side), from the photo re-encoded at quality 60, and re-cut 8% larger —
        // are the same object; every other top, face and scenery cut is a different object.
        var items = ProductCandidates.Items.ToList();
        var views = new List<(string Id, string Object, byte[] Data)>();
        foreach (var (sample, people) in Photos.People)
        {
            var mirrored = Photos.Edit(Photos.Sample(sample), Photos.Mirror);
            for (var p = 0; p < people.Length; p++)
            {
                var top = ProductCandidates.Top(sample, p);
                var id = ProductCandidates.TopId(sample, p);
                views.Add(($"{id}-mirrored", id, Photos.Cut(mirrored, top with { X = 1920 - top.X - top.Width })));
                views.Add(($"{id}-q60", id, Photos.Cut(Photos.Sample(sample), top, quality: 60)));
                views.Add(($"{id}-larger", id, Photos.Cut(Photos.Sample(sample), new Rect(top.X - (top.Width * 4 / 100), top.Y - (top.Height * 4 / 100), top.Width * 108 / 100, top.Height * 108 / 100))));
            }
        }

        var same = new List<float>();
        var different = new List<float>();
        foreach (var (sample, people) in Photos.People)
        {
            for (var p = 0; p < people.Length; p++)
            {
                var queryId = ProductCandidates.TopId(sample, p);
                var request = new RankRequest
                {
                    Query = Photos.Image(queryId, items.Single(i => i.Id == queryId).Data),
                    Options = new RankOptions { MinRankValue = 0f, MaxInformationContent = 100f },
                };
                request.Candidates.AddRange(items.Where(i => i.Id != queryId)
                    .Select(i => new Candidate { Id = i.Id, Category = i.Category, Image = Google.Protobuf.ByteString.CopyFrom(i.Data) }));
                request.Candidates.AddRange(views.Select(v => new Candidate { Id = v.Id, Category = "views", Image = Google.Protobuf.ByteString.CopyFrom(v.Data) }));
                var response = await server.Client.RankCandidatesAsync(request, deadline: Deadline);
                foreach (var result in Assert.Single(response.Regions).Results)
                {
                    (views.Any(v => v.Id == result.Id && v.Object == queryId) ? same : different).Add(result.RankValue);
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"same-object pairs: {same.Count}, r {same.Min():F3}..{same.Max():F3}; different-object pairs: {different.Count}, r {different.Min():F3}..{different.Max():F3}"));
        output.WriteLine("| min r | same-object pairs kept | different-object pairs kept |");
        foreach (var bound in new[] { 1.08f, 1.2f, 1.3f, 1.35f, 1.4f, 1.45f, 1.5f, 1.6f })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {bound:0.00} | {same.Count(r => r >= bound)} / {same.Count} | {different.Count(r => r >= bound)} / {different.Count} |"));
        }
        Assert.Equal(27, same.Count);
        Assert.All(same, r => Assert.True(r >= MinRankValue, $"a view of the query's object at r {r:F3} falls below {MinRankValue}"));
        Assert.All(different, r => Assert.True(r < MinRankValue, $"an unrelated candidate at r {r:F3} passes {MinRankValue}"));
    }
}
