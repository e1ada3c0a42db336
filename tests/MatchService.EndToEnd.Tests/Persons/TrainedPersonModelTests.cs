using System.Globalization;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;
using Xunit.Abstractions;
using ModelSource = MatchService.Contracts.V1.ModelSource;

namespace MatchService.EndToEnd.Tests.Persons;

/// <summary>
/// EmbedPersons on every default: the MoveNet person detector and head-shoulder locator, ResNet18 f_g, with the
/// configured distance bound. The labelled set: the three people of sample photos 1–3 (hand-drawn boxes), each
/// photo also shifted, rescaled, re-encoded at quality 55 and mirrored (same person under real changes), against the
/// other people of the three photos (different faces and clothes).
/// </summary>
[Collection(PersonProductServers.Name)]
public sealed class TrainedPersonModelTests(TrainedModelServer server, ITestOutputHelper output)
{
    /// <summary>Persons:DistanceBound's default (README's table says why).</summary>
    private const double Bound = 0.07;

    /// <summary>Faces face-api finds in sample photos 1–6 (one per person).</summary>
    private static readonly int[] PeopleInSample = [3, 3, 3, 4, 5, 4];

    [ServerFact]
    public async Task WithoutClientBoxesTheDetectorFindsThePeopleOfEverySamplePhotoAndSaysWhereEachBoxCameFrom()
    {
        var photos = Enumerable.Range(1, 6).Select(n => Photos.Embed($"sample{n}", Photos.Sample(n), [])).ToArray();
        var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(photos));

        Assert.Equal("person_detector", outcome.Last.PersonDetector.Name);
        foreach (var image in outcome.Images.OrderBy(i => i.ImageIndex))
        {
            output.WriteLine($"{image.ImageId}: {image.Persons.Count} persons; " + string.Join("; ", image.Persons.Select(p =>
                $"{p.DetectorScore:F2} {(int)p.Box.Width}x{(int)p.Box.Height}, head-shoulder {p.HeadShoulderSource}, torso {p.TorsoSource}")));
            // Every sample shows three to five people side by side: MoveNet finds all of them, or all but one.
            var people = PeopleInSample[image.ImageIndex];
            Assert.InRange(image.Persons.Count, people - 1, people);
            Assert.All(image.Persons, p =>
            {
                Assert.Equal(ModelSource.Model, p.BoxSource);
                Assert.False(p.WholeImage);
                Assert.True(p.DetectorScore >= 0.15f);
                Assert.Contains(p.HeadShoulderSource, new[] { ModelSource.Model, ModelSource.Rule });
                // The head-shoulder box is centred on the person, in the upper part of its box.
                var (cx, cy) = (p.HeadShoulderBox.X + (p.HeadShoulderBox.Width / 2), p.HeadShoulderBox.Y + (p.HeadShoulderBox.Height / 2));
                Assert.True(cx > p.Box.X && cx < p.Box.X + p.Box.Width && cy > p.Box.Y - 1 && cy < p.Box.Y + (0.6f * p.Box.Height),
                    $"{image.ImageId}: head-shoulder box {p.HeadShoulderBox} for the person at {p.Box}");
            });
            Assert.Contains(image.Persons, p => p.HeadShoulderSource == ModelSource.Model);
        }

        // Where hips are in view, the torso is measured shoulders to hips; on sample 5 (people cut at the waist) it is the band.
        var torsos = outcome.Images.SelectMany(i => i.Persons).ToList();
        Assert.True(torsos.Count(p => p.TorsoSource == ModelSource.Model) >= torsos.Count / 2, "fewer than half the torsos came from keypoints");
        Assert.All(torsos.Where(p => p.TorsoSource == ModelSource.Model), p => Assert.True(p.TorsoBox.Height > 0 && p.TorsoBox.Y > p.Box.Y));
    }

    [ServerFact]
    public async Task TheLabelledSetKeepsEverySamePersonPairInsideTheBoundAndEveryDifferentPersonPairOutside()
    {
        var persons = new List<(string Label, float[] Representation)>();
        for (var n = 1; n <= 3; n++)
        {
            var original = Photos.Sample(n);
            var people = Photos.People[n];
            const int dx = 48, dy = 30;
            const double scale = 0.6;
            var outcome = await EmbedStream.RunAsync(server.Client, EmbedStream.Request(
                Photos.Embed($"{n}-original", original, people),
                Photos.Embed($"{n}-shifted", Photos.Edit(original, i => Photos.Shift(i, dx, dy)), people.Select(b => b with { X = b.X - dx, Y = b.Y - dy })),
                Photos.Embed($"{n}-scaled", Photos.Edit(original, i => Photos.Scale(i, scale)),
                    people.Select(b => new Rect((int)(b.X * scale), (int)(b.Y * scale), (int)(b.Width * scale), (int)(b.Height * scale)))),
                Photos.Embed($"{n}-reencoded", Photos.Edit(original, i => i, quality: 55), people),
                Photos.Embed($"{n}-mirrored", Photos.Edit(original, Photos.Mirror), people.Select(b => b with { X = 1920 - b.X - b.Width }))));
            foreach (var image in outcome.Images)
            {
                persons.AddRange(image.Persons.Select(p => ($"{n}/{p.Index}", p.Representation.Values.ToArray())));
            }
        }
        Assert.Equal(45, persons.Count);

        var same = new List<double>();
        var different = new List<double>();
        for (var i = 0; i < persons.Count; i++)
        {
            for (var j = i + 1; j < persons.Count; j++)
            {
                (persons[i].Label == persons[j].Label ? same : different).Add(CosineDistance(persons[i].Representation, persons[j].Representation));
            }
        }
        output.WriteLine($"same-person pairs: {same.Count}, distance {same.Min():F3}..{same.Max():F3}; different-person pairs: {different.Count}, distance {different.Min():F3}..{different.Max():F3}");
        output.WriteLine("| bound | same-person pairs inside | different-person pairs inside |");
        foreach (var bound in new[] { 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3 })
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {bound:0.00} | {same.Count(d => d <= bound)} / {same.Count} | {different.Count(d => d <= bound)} / {different.Count} |"));
        }
        // Top-N: each person has 4 other views; how many of its N nearest are the same person.
        foreach (var n in new[] { 1, 4, 5 })
        {
            var hits = persons.Select((p, i) => persons.Select((q, j) => (q.Label, j, Distance: CosineDistance(p.Representation, q.Representation)))
                .Where(x => x.j != i).OrderBy(x => x.Distance).Take(n).Count(x => x.Label == p.Label)).Sum();
            output.WriteLine($"top-{n}: {hits} of {persons.Count * n} neighbours are the same person");
        }
        Assert.Equal(90, same.Count);
        Assert.All(same, d => Assert.True(d <= Bound, $"a same-person pair at {d:F3} lies outside the bound {Bound}"));
        Assert.All(different, d => Assert.True(d > Bound, $"a different-person pair at {d:F3} lies inside the bound {Bound}"));
    }

    private static double CosineDistance(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }
        return 1 - (dot / Math.Sqrt(na * nb));
    }
}
