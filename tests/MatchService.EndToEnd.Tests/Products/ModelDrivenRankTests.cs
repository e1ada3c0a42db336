using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using MatchService.Imaging;
using MatchService.Inference.Configuration;
using ModelSource = MatchService.Contracts.V1.ModelSource;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>RankCandidates with the generated intent classifier and garment detector configured (a test model directory).</summary>
[Collection(PersonProductServers.Name)]
public sealed class ModelDrivenRankTests(TestModelServer server)
{
    [ServerFact]
    public async Task ANonCommodityQueryReturnsAtOnceWithoutEmbeddingAnythingAndIsCounted()
    {
        var (query, _) = await FindQueryAsync(Intent.NonCommodity);
        var request = new RankRequest { Query = query };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());
        var product = server.Engine.GetByRole(ModelRole.ProductEmbedder);

        // The service's own Prometheus endpoint: the product model's items counter and the skipped-search counter.
        var itemsBefore = await MetricsScrape.ValueAsync(server.MetricsAddress, "match_inference_items_total", "model=\"product_embedder\"");
        var skippedBefore = await MetricsScrape.ValueAsync(server.MetricsAddress, "match_searches_skipped_total", "reason=\"non_commodity\"");
        var statisticsBefore = product.Statistics.Items;
        var response = await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal(Intent.NonCommodity, response.Intent);
        Assert.True(response.SearchSkipped);
        Assert.Equal(ModelSource.Model, response.IntentSource);
        Assert.InRange(response.IntentScore, 1f / 3, 1f);
        Assert.Empty(response.Regions);
        Assert.Equal(ProductCandidates.Items.Count, response.CandidateCount);
        Assert.Equal(statisticsBefore, product.Statistics.Items);
        Assert.Equal(itemsBefore, await MetricsScrape.ValueAsync(server.MetricsAddress, "match_inference_items_total", "model=\"product_embedder\""));
        Assert.Equal(skippedBefore + 1, await MetricsScrape.ValueAsync(server.MetricsAddress, "match_searches_skipped_total", "reason=\"non_commodity\""));
    }

    [ServerFact]
    public async Task AnApparelQueryIsSearchedOnceForEachGarmentRegion()
    {
        var (query, probe) = await FindQueryAsync(Intent.Apparel);
        var request = new RankRequest { Query = query };
        request.Candidates.AddRange(ProductCandidates.AsCandidates());
        var response = await server.Client.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddSeconds(60));

        Assert.Equal(Intent.Apparel, response.Intent);
        Assert.Equal(probe.Regions.Count, response.Regions.Count);
        Assert.Equal("garment_detector", response.Detector.Name);
        Assert.NotEmpty(response.Regions);
        Assert.All(response.Regions, r =>
        {
            Assert.StartsWith("garment_", r.Label, StringComparison.Ordinal);
            Assert.True(r.Score >= 0.5f);
            Assert.Equal(ProductCandidates.Items.Count, r.Results.Count + r.Dropped.Count);
        });
        var scores = response.Regions.Select(r => r.Score).ToArray();
        Assert.Equal(scores.OrderByDescending(s => s), scores);
    }

    /// <summary>
    /// The test classifier's weights are random, so the test looks for a query it assigns the wanted intent: plain
    /// colours and the photos, asked through the server with no candidates.
    /// </summary>
    private async Task<(Image Query, RankResponse Probe)> FindQueryAsync(Intent wanted)
    {
        var tried = new List<string>();
        foreach (var (id, data) in Queries())
        {
            var probe = await server.Client.RankCandidatesAsync(new RankRequest { Query = Photos.Image(id, data) }, deadline: DateTime.UtcNow.AddSeconds(60));
            if (probe.Intent == wanted)
            {
                return (Photos.Image(id, data), probe);
            }

            tried.Add($"{id}: {probe.Intent}");
        }

        Assert.Fail($"the test intent classifier gave {wanted} for none of: {string.Join(", ", tried)}");
        return default;
    }

    private static IEnumerable<(string Id, byte[] Data)> Queries()
    {
        foreach (var n in new[] { 1, 2, 3 })
        {
            yield return ($"sample{n}", Photos.Sample(n));
        }

        byte[] levels = [0, 128, 255];
        foreach (var r in levels)
        {
            foreach (var g in levels)
            {
                foreach (var b in levels)
                {
                    using var image = RgbImage.Rent(64, 64);
                    for (var i = 0; i < image.Pixels.Length; i += 3)
                    {
                        (image.Pixels[i], image.Pixels[i + 1], image.Pixels[i + 2]) = (r, g, b);
                    }

                    yield return ($"colour-{r}-{g}-{b}", Photos.Encode(image, 95));
                }
            }
        }
    }
}
