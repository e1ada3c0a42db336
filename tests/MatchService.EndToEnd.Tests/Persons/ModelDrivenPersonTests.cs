using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using MatchService.Imaging;

namespace MatchService.EndToEnd.Tests.Persons;

/// <summary>EmbedPersons with the generated weight-adaptive model and head-shoulder locator configured (a test model directory).</summary>
[Collection(PersonProductServers.Name)]
public sealed class ModelDrivenPersonTests(TestModelServer server)
{
    [ServerFact]
    public async Task TheWeightAdaptiveModelAndTheLocatorReplaceTheRuleAndThePriorAndSaySo()
    {
        var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(
            Photos.Embed("s1", Photos.Sample(1), Photos.People[1]),
            Photos.Embed("dark", Photos.Edit(Photos.Sample(1), i => Photos.Darken(i, 0.2f)), Photos.People[1])));

        foreach (var person in outcome.Images.SelectMany(i => i.Persons))
        {
            Assert.Equal(ModelSource.Model, person.WeightReason.Source);
            Assert.Equal("weight_adaptive", person.WeightReason.Model.Name);
            Assert.Contains("weight-adaptive model 'weight_adaptive'", person.WeightReason.Explanation, StringComparison.Ordinal);
            Assert.InRange(person.GlobalWeight, 0f, 1f);
            Assert.Equal(1f, person.GlobalWeight + person.HeadShoulderWeight, 5);

            Assert.Equal(ModelSource.Model, person.HeadShoulderSource);
            var (p, h) = (person.Box, person.HeadShoulderBox);
            Assert.True(h.X >= p.X - 0.01f && h.Y >= p.Y - 0.01f && h.X + h.Width <= p.X + p.Width + 0.01f && h.Y + h.Height <= p.Y + p.Height + 0.01f,
                $"head-shoulder box {h} outside person box {p}");
        }

        // The model's w_g depends on f_g, so people in different clothes get different weights.
        Assert.True(outcome.Images.SelectMany(i => i.Persons).Select(p => p.GlobalWeight).Distinct().Count() > 1);
    }

    [ServerFact]
    public async Task WithoutClientBoxesThePersonDetectorFindsThePersonsAndLowScoresAreDropped()
    {
        var photo = Photos.Sample(1);
        var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(Photos.Embed("s1", photo, [])));

        Assert.Equal("person_detector", outcome.Last.PersonDetector.Name);
        var image = Assert.Single(outcome.Images);
        // The test detector proposes the left half, the right half and a small centre box scored about 0.1 (dropped).
        Assert.Equal(2, image.Persons.Count);
        using var decoded = new ImageDecoder().Decode(photo);
        var (width, height) = (decoded.Image.Width, decoded.Image.Height);
        foreach (var person in image.Persons)
        {
            Assert.Equal(ModelSource.Model, person.BoxSource);
            Assert.False(person.WholeImage);
            Assert.InRange(person.Box.Width, width * 0.3f, width * 0.6f);
            Assert.InRange(person.Box.Height, height * 0.6f, height);
        }
        var left = image.Persons.MinBy(p => p.Box.X)!;
        var right = image.Persons.MaxBy(p => p.Box.X)!;
        Assert.True(left.Box.X + left.Box.Width <= right.Box.X + (width * 0.1f), $"boxes overlap: {left.Box} {right.Box}");
    }
}
