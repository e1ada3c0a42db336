using MatchService.Contracts;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using Grpc.Core;
using MatchService.Inference.Configuration;
using ModelSource = MatchService.Contracts.V1.ModelSource;

namespace MatchService.EndToEnd.Tests.Persons;

/// <summary>EmbedPersons through a running server with the default (descriptor) models and the rule-based fallbacks.</summary>
[Collection(PersonProductServers.Name)]
public sealed class EmbedPersonsTests(DefaultModelServer server)
{
    [ServerFact]
    public async Task SamePersonUnderRealChangesIsNearestToItselfAcrossImages()
    {
        var original = Photos.Sample(1);
        var people = Photos.People[1];
        const int dx = 48, dy = 30;
        const double scale = 0.6;
        var variants = new (string Id, byte[] Data, IEnumerable<Rect> Boxes)[]
        {
            ("shifted", Photos.Edit(original, i => Photos.Shift(i, dx, dy)), people.Select(b => b with { X = b.X - dx, Y = b.Y - dy })),
            ("scaled", Photos.Edit(original, i => Photos.Scale(i, scale)),
                people.Select(b => new Rect((int)(b.X * scale), (int)(b.Y * scale), (int)(b.Width * scale), (int)(b.Height * scale)))),
            ("reencoded", Photos.Edit(original, i => i, quality: 55), people),
            ("mirrored", Photos.Edit(original, Photos.Mirror), people.Select(b => b with { X = 1920 - b.X - b.Width })),
        };
        var request = EmbedStream.Request(
            [Photos.Embed("original", original, people),
             .. variants.Select(v => Photos.Embed(v.Id, v.Data, v.Boxes)),
             Photos.Embed("other-2", Photos.Sample(2), Photos.People[2]),
             Photos.Embed("other-3", Photos.Sample(3), Photos.People[3])]);

        var global = server.Engine.GetByRole(ModelRole.PersonGlobal).Statistics;
        var (items, batches) = (global.Items, global.Batches);
        var outcome = await EmbedStream.RunAsync(server.Client, request);

        // The 21 persons went through the f_g model in shared batches, not one run each.
        Assert.Equal(21, global.Items - items);
        Assert.True(global.Batches - batches < 21, $"{global.Batches - batches} batch runs for 21 persons");

        // Every person of the original and of each variant: its nearest person in another image is the same person.
        foreach (var image in variants.Select(v => v.Id).Prepend("original"))
        {
            for (var p = 0; p < people.Length; p++)
            {
                var nearest = outcome.Summary.Nearest[outcome.IndexOf(image, p)].Nearest[0].Second;
                Assert.True(nearest.PersonIndex == p && !nearest.ImageId.StartsWith("other", StringComparison.Ordinal),
                    $"{image} person {p}: nearest is {nearest.ImageId} person {nearest.PersonIndex}");
            }
        }
    }

    [ServerFact]
    public async Task DarkenedCopySwitchesTheWeightsToTheHeadShoulderSideAndSaysWhy()
    {
        var photo = Photos.Sample(3);
        var lit = Photos.People[3][0]; // beige cardigan: neither dark nor black clothing
        var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(
            Photos.Embed("lit", photo, [lit]),
            Photos.Embed("dark", Photos.Edit(photo, i => Photos.Darken(i, 0.2f)), [lit])));

        var normal = outcome.Image("lit").Persons[0];
        var dark = outcome.Image("dark").Persons[0];
        Assert.Equal(ModelSource.Rule, normal.WeightReason.Source);
        Assert.Equal(0.5f, normal.GlobalWeight, 5);
        Assert.True(normal.WeightReason.MeanLuminance >= normal.WeightReason.LuminanceThreshold, normal.WeightReason.Explanation);

        Assert.Equal(ModelSource.Rule, dark.WeightReason.Source);
        Assert.Equal(0.3f, dark.GlobalWeight, 5);
        Assert.Equal(0.7f, dark.HeadShoulderWeight, 5);
        Assert.True(dark.HeadShoulderWeight > dark.GlobalWeight);
        Assert.True(dark.WeightReason.MeanLuminance < dark.WeightReason.LuminanceThreshold);
        Assert.Equal(0.25f, dark.WeightReason.LuminanceThreshold, 5);
        Assert.Contains("dark crop", dark.WeightReason.Explanation, StringComparison.Ordinal);
        Assert.InRange(dark.WeightReason.MeanLuminance, normal.WeightReason.MeanLuminance * 0.15f, normal.WeightReason.MeanLuminance * 0.25f);
    }

    [ServerFact]
    public async Task EachImageIsAnsweredBeforeTheStreamEndsAndTheSummaryIsASymmetricMatrix()
    {
        using var call = server.Client.EmbedPersons(deadline: DateTime.UtcNow.AddSeconds(60));
        var first = new EmbedRequest { Options = new EmbedOptions { TopN = 2, DistanceBound = 0.5f } };
        first.Images.Add(Photos.Embed("s1", Photos.Sample(1), Photos.People[1]));
        await call.RequestStream.WriteAsync(first);
        foreach (var n in new[] { 1, 2, 3 })
        {
            if (n > 1)
            {
                await call.RequestStream.WriteAsync(EmbedStream.Request(Photos.Embed($"s{n}", Photos.Sample(n), Photos.People[n])));
            }

            // The stream is still open: this image's persons arrive now, not at the end.
            Assert.True(await call.ResponseStream.MoveNext());
            var image = call.ResponseStream.Current.Image;
            Assert.Equal($"s{n}", image.ImageId);
            Assert.Equal(n - 1, image.ImageIndex);
            Assert.Equal(3, image.Persons.Count);
            foreach (var person in image.Persons)
            {
                AssertRepresentationLayout(person);
                Assert.Equal(ModelSource.Client, person.BoxSource);
                Assert.Equal(ModelSource.Rule, person.HeadShoulderSource);
            }
        }

        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext());
        var last = call.ResponseStream.Current;
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal("person_global", last.GlobalModel.Name);
        Assert.Equal(ModelSource.Model, last.GlobalModel.Source); // the converted ResNet18 featurizer
        Assert.Equal("person_head_shoulder", last.HeadShoulderModel.Name);
        Assert.Equal("", last.PersonDetector.Name);
        Assert.Equal("decode", StageTrailer.Parse(call.GetTrailers().GetValue(StageTrailer.Name))[0].Key);

        var summary = last.Summary;
        var n9 = summary.Persons.Count;
        Assert.Equal(9, n9);
        Assert.Equal(Metric.Cosine, summary.Metric);
        Assert.Equal(0.5f, summary.DistanceBound);
        Assert.Equal(2, summary.TopN);
        Assert.Equal(n9 * n9, summary.Distances.Count);
        for (var i = 0; i < n9; i++)
        {
            Assert.Equal((i / 3, i % 3), (summary.Persons[i].ImageIndex, summary.Persons[i].PersonIndex));
            Assert.Equal(0f, summary.Distances[(i * n9) + i]);
            for (var j = 0; j < n9; j++)
            {
                Assert.Equal(summary.Distances[(i * n9) + j], summary.Distances[(j * n9) + i]);
                Assert.True(i == j || summary.Distances[(i * n9) + j] > 0f);
            }

            var nearest = summary.Nearest[i].Nearest;
            Assert.Equal(2, nearest.Count);
            Assert.All(nearest, p => Assert.NotEqual(summary.Persons[i].ImageIndex, p.Second.ImageIndex));
            Assert.True(nearest[0].Distance <= nearest[1].Distance);
            var othersBest = Enumerable.Range(0, n9).Where(j => j / 3 != i / 3).Min(j => summary.Distances[(i * n9) + j]);
            Assert.Equal(othersBest, nearest[0].Distance);
        }

        var expectedPairs = Enumerable.Range(0, n9).SelectMany(i => Enumerable.Range(i + 1, n9 - i - 1).Select(j => (i, j)))
            .Count(p => p.i / 3 != p.j / 3 && summary.Distances[(p.i * n9) + p.j] <= 0.5f);
        Assert.Equal(expectedPairs, summary.PairsWithinBound.Count);
        Assert.All(summary.PairsWithinBound, p => Assert.True(p.Distance <= 0.5f && p.First.ImageIndex != p.Second.ImageIndex));
    }

    [ServerFact]
    public async Task WithoutBoxesOrDetectorTheWholeImageIsOnePersonAndTheResponseSaysSo()
    {
        var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(Photos.Embed("whole", Photos.Sample(2), [])));
        var person = Assert.Single(outcome.Image("whole").Persons);
        Assert.True(person.WholeImage);
        Assert.Equal(ModelSource.Rule, person.BoxSource);
        Assert.Equal((0f, 0f, 1920f, 1367f), (person.Box.X, person.Box.Y, person.Box.Width, person.Box.Height));
        Assert.Single(outcome.Summary.Persons);
        Assert.Empty(outcome.Summary.Nearest[0].Nearest);
    }

    [ServerFact]
    public async Task TooManyPersonsInAnImageIsInvalidArgumentNamingTheLimit()
    {
        var boxes = Enumerable.Range(0, 5).Select(i => new Rect(100 * i, 0, 100, 300));
        var error = await Assert.ThrowsAsync<RpcException>(() => EmbedStream.RunAsync(server.Client,
            EmbedStream.Request(Photos.Embed("crowd", Photos.Sample(1), boxes))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'crowd'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("limit is 4 persons per image", error.Status.Detail, StringComparison.Ordinal);
    }

    [ServerFact]
    public async Task TooManyImagesInAStreamIsInvalidArgumentNamingTheLimit()
    {
        var small = Photos.Cut(Photos.Sample(1), new Rect(0, 0, 64, 64));
        var images = Enumerable.Range(0, 9).Select(i => Photos.Embed($"tile-{i}", small, [])).ToArray();
        var error = await Assert.ThrowsAsync<RpcException>(() => EmbedStream.RunAsync(server.Client, EmbedStream.Request(images)));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'tile-8'", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("limit is 8 images per stream", error.Status.Detail, StringComparison.Ordinal);
    }

    [ServerFact]
    public async Task AnUndecodableImageIsInvalidArgumentWithItsId()
    {
        var broken = Photos.Sample(1)[..4000];
        var error = await Assert.ThrowsAsync<RpcException>(() => EmbedStream.RunAsync(server.Client, EmbedStream.Request(
            Photos.Embed("good", Photos.Sample(2), Photos.People[2]), Photos.Embed("broken.jpg", broken, []))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("'broken.jpg'", error.Status.Detail, StringComparison.Ordinal);
    }

    [ServerFact]
    public async Task ABoxOutsideTheImageIsInvalidArgumentNamingTheBox()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => EmbedStream.RunAsync(server.Client, EmbedStream.Request(
            Photos.Embed("offside", Photos.Sample(2), [new Rect(5000, 10, 100, 100)]))));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("image 'offside': person_boxes[0]", error.Status.Detail, StringComparison.Ordinal);
    }

    private static void AssertRepresentationLayout(Person person)
    {
        // f = [w_g · f_g, w_h · f_h] with unit f_g and f_h: the parts' norms are the weights.
        var f = person.Representation.Values;
        var g = person.GlobalFeature.Values;
        var h = person.HeadShoulderFeature.Values;
        Assert.Equal(g.Count + h.Count, f.Count);
        Assert.Equal(1.0, Math.Sqrt(g.Sum(v => (double)v * v)), 4);
        Assert.Equal(person.GlobalWeight, Math.Sqrt(f.Take(g.Count).Sum(v => (double)v * v)), 4);
        Assert.Equal(person.HeadShoulderWeight, Math.Sqrt(f.Skip(g.Count).Sum(v => (double)v * v)), 4);
        Assert.Equal(1.0, person.GlobalWeight + person.HeadShoulderWeight, 5);
        Assert.Equal(g[7] * person.GlobalWeight, f[7], 5);
    }
}
