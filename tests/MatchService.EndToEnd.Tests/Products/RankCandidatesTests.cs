using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using Grpc.Core;
using MatchService.Inference.Configuration;
using ModelSource = MatchService.Contracts.V1.ModelSource;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>RankCandidates through a running server with the default product descriptor, the intent rule and whole-image regions.</summary>
[Collection(PersonProductServers.Name)]
public sealed class RankCandidatesTests(DefaultModelServer server)
{
    [ServerFact]
    public async Task TheQuerysOwnSourceRegionComesFirst()
    {
        // The query: the same torso re-cut a little larger and shifted, re-encoded at another quality.
        var source = ProductCandidates.Top(2, 0);
        var query = Photos.Cut(Photos.Sample(2), source with { X = source.X + 20, Y = source.Y - 16, Width = source.Width + 24 }, quality: 70);
        var request = new RankRequest { Query = Photos.Image("query", query) };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());

        var response = await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal(Intent.OtherCommodity, response.Intent);
        Assert.Equal(ModelSource.Rule, response.IntentSource);
        Assert.False(response.SearchSkipped);
        Assert.Equal("product_embedder", response.Model.Name);
        Assert.Equal(ProductCandidates.Items.Count, response.CandidateCount);
        var region = Assert.Single(response.Regions);
        Assert.Equal("", region.Label);
        Assert.Equal(ProductCandidates.TopId(2, 0), region.Results[0].Id);
        Assert.Equal(1, region.Results[0].Position);
        Assert.Equal(ProductCandidates.Items.Count, region.Results.Count + region.Dropped.Count);
        Assert.All(region.Results, r => Assert.Equal(2f - r.Distance, r.RankValue, 5));
        Assert.All(region.Results, r => Assert.True(r.RankValue >= 1.08f - 1e-6f));
        Assert.All(region.Dropped, d => Assert.True(
            (d.Filter == DropFilter.RankThreshold && d.Value < d.Limit && d.Limit == 1.08f) ||
            (d.Filter == DropFilter.CategoryInformation && d.Value > d.Limit && d.Limit == 2f), $"{d}"));

        // Category-aware order: categories by Σ 1/X, members by r.
        var scores = region.Results.Select(r => r.CategoryScore).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
        foreach (var group in region.Results.GroupBy(r => r.Category))
        {
            Assert.Equal(group.Sum(r => 1.0 / r.Position), group.First().CategoryScore, 4);
            Assert.Equal(group.Select(r => r.RankValue).OrderByDescending(r => r), group.Select(r => r.RankValue));
        }
    }

    [ServerFact]
    public async Task EveryDroppedCandidateSaysWhichFilterAndItsValue()
    {
        var request = new RankRequest
        {
            Query = Photos.Image("query", Photos.Cut(Photos.Sample(3), ProductCandidates.Top(3, 2))),
            Options = new RankOptions { MinRankValue = 1.5f, MaxInformationContent = 0.5f },
        };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());

        var response = await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal((1.5f, 0.5f), (response.Thresholds.MinRankValue, response.Thresholds.MaxInformationContent));
        var region = Assert.Single(response.Regions);
        Assert.Contains(region.Dropped, d => d.Filter == DropFilter.RankThreshold);
        foreach (var drop in region.Dropped.Where(d => d.Filter == DropFilter.RankThreshold))
        {
            Assert.True(drop.Value < 1.5f);
            Assert.Equal(1.5f, drop.Limit);
        }

        var kept = region.Results.Count + region.Dropped.Count(d => d.Filter == DropFilter.CategoryInformation);
        foreach (var category in region.Categories)
        {
            Assert.Equal(-Math.Log((double)category.Count / kept), category.InformationContent, 4);
            Assert.Equal(category.InformationContent > 0.5f, category.Dropped);
            Assert.Equal(category.Dropped ? category.Count : 0,
                region.Dropped.Count(d => d.Category == category.Category && d.Filter == DropFilter.CategoryInformation));
        }
    }

    [ServerFact]
    public async Task TheStreamedFormGivesTheSameRanking()
    {
        var query = Photos.Image("query", Photos.Cut(Photos.Sample(1), ProductCandidates.Top(1, 1)));
        var unary = new RankRequest { Query = query };
        unary.Candidates.AddRange(ProductCandidates.AsCandidates());
        var expected = await server.Client.RankCandidatesAsync(unary, deadline: DateTime.UtcNow.AddSeconds(60));

        using var call = server.Client.RankCandidatesStream(deadline: DateTime.UtcNow.AddSeconds(60));
        await call.RequestStream.WriteAsync(new RankStreamRequest { Query = query });
        foreach (var chunk in ProductCandidates.AsCandidates().Chunk(5))
        {
            var message = new RankStreamRequest();
            message.Candidates.AddRange(chunk);
            await call.RequestStream.WriteAsync(message);
        }

        await call.RequestStream.CompleteAsync();
        var streamed = await call.ResponseAsync;
        Assert.Equal(expected.Regions, streamed.Regions);
        Assert.Equal(ProductCandidates.TopId(1, 1), streamed.Regions[0].Results[0].Id);
    }

    [ServerFact]
    public async Task PrecomputedEmbeddingsRankAlongsideImagesAndAWrongDimensionNamesTheCandidate()
    {
        var dim = server.Engine.GetByRole(ModelRole.ProductEmbedder).Config.OutputFor(OutputMeaning.Embedding)!.Dim!.Value;
        var query = Photos.Image("query", Photos.Cut(Photos.Sample(1), ProductCandidates.Top(1, 2)));
        var request = new RankRequest { Query = query };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());
        var unit = new Vector();
        unit.Values.AddRange(Enumerable.Range(0, dim).Select(i => i == 0 ? 1f : 0f));
        request.Candidates.Add(new Candidate { Id = "precomputed", Category = "tops", Embedding = unit });
        var response = await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));
        var all = response.Regions[0].Results.Select(r => r.Id).Concat(response.Regions[0].Dropped.Select(d => d.Id));
        Assert.Contains("precomputed", all);

        var wrong = new Vector();
        wrong.Values.AddRange(new float[dim - 1]);
        wrong.Values[0] = 1f;
        var bad = new RankRequest { Query = query };
        bad.Candidates.Add(new Candidate { Id = "short-vector", Category = "tops", Embedding = wrong });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankCandidatesAsync(bad, deadline: DateTime.UtcNow.AddSeconds(60)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("candidate 'short-vector'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"has {dim - 1} values", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"gives {dim}", error.Status.Detail, StringComparison.Ordinal);
    }

    [ServerFact]
    public async Task AnUndecodableCandidateImageIsInvalidArgumentWithItsId()
    {
        var request = new RankRequest { Query = Photos.Image("query", Photos.Cut(Photos.Sample(1), ProductCandidates.Top(1, 2))) };
        request.Candidates.AddRange(ProductCandidates.AsCandidates().Take(4));
        request.Candidates.Add(new Candidate { Id = "not-an-image", Category = "tops", Image = ByteString.CopyFromUtf8("hello") });
        var error = await Assert.ThrowsAsync<RpcException>(async () => await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'not-an-image'", error.Status.Detail, StringComparison.Ordinal);
    }
}
