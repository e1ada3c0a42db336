using System.Text;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;

namespace MatchService.Matching.Tests;

public class CalibrationFileTests
{
    /// <summary>Synthetic identities: a random centre each, images = centre + small noise.</summary>
    private static List<IdentityEmbedding> Identities(int people, int perPerson, int seed)
    {
        var rng = new Random(seed);
        var items = new List<IdentityEmbedding>();
        for (var p = 0; p < people; p++)
        {
            var centre = TestVectors.Gaussian(rng, 16);
            for (var i = 0; i < perPerson; i++)
            {
                var e = centre.Zip(TestVectors.Gaussian(rng, 16, 0.35), (c, n) => c + n).ToArray();
                items.Add(new IdentityEmbedding($"person{p:D2}", e, 0.5 + (0.5 * rng.NextDouble())));
            }
        }

        return items;
    }

    private static readonly CalibrationProvenance Provenance =
        new("face-recognition", "1", "matchctl calibrate faces/", new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));

    private static readonly CalibrationSamplingOptions Sampling = new() { GenuineSets = 300, ImpostorSets = 300, Seed = 7 };

    [Fact]
    public void SetsHaveTheRightIdentitiesAndSizes()
    {
        var items = Identities(6, 4, 1);
        var (genuine, impostor) = CalibrationSetSampler.SampleSets(items, Sampling);
        Assert.Equal(300, genuine.Count);
        Assert.Equal(300, impostor.Count);
        Assert.All(genuine, set =>
        {
            Assert.Single(set.Select(i => items[i].Identity).Distinct());
            Assert.InRange(set.Length, 2, 4);
            Assert.Equal(set.Length, set.Distinct().Count());
        });
        Assert.All(impostor, set =>
        {
            Assert.True(set.Select(i => items[i].Identity).Distinct().Count() >= 2);
            Assert.InRange(set.Length, 2, 5);
            Assert.Equal(set.Length, set.Distinct().Count());
        });
        Assert.Contains(genuine, s => s.Length == 4);
        Assert.Contains(impostor, s => s.Length == 5);
    }

    [Fact]
    public void BuildIsDeterministicAndSeparatesGenuineFromImpostorSets()
    {
        var items = Identities(8, 5, 2);
        var a = CalibrationBuilder.Build(items, VectorMetric.Euclidean, Sampling, Provenance);
        var b = CalibrationBuilder.Build(items, VectorMetric.Euclidean, Sampling, Provenance);
        Assert.Equal(CalibrationFileJson.Serialize(a), CalibrationFileJson.Serialize(b));
        Assert.True(a.A > 0);
        Assert.True(a.GenuineScores.Average() > a.ImpostorScores.Average() + 0.3);
        Assert.True(a.FusedEer < 0.05, $"fused EER {a.FusedEer}");
        Assert.Equal(8 * 10, a.GenuinePairs);

        var other = CalibrationBuilder.Build(items, VectorMetric.Euclidean, Sampling with { Seed = 8 }, Provenance);
        Assert.NotEqual(a.GenuineScores, other.GenuineScores);

        // The data model built from the file accepts a fresh genuine set and rejects an impostor one.
        var verifier = new SetVerifier(new VerifyOptions(), new LogisticDistanceSimilarity(a.ToMetric(), a.ToCurve()), a.ToDataModel());
        var person0 = items.Where(i => i.Identity == "person00").ToArray();
        Assert.Equal(SetVerdict.Same, verifier.Verify(person0.Select(i => i.Embedding).ToArray(), person0.Select(i => i.Quality).ToArray()).Verdict);
        var mixed = new[] { items[0], items[5], items[10] };
        Assert.Equal(SetVerdict.Different, verifier.Verify(mixed.Select(i => i.Embedding).ToArray(), [1, 1, 1]).Verdict);
    }

    [Fact]
    public async Task JsonRoundTripsOnStringsAndStreams()
    {
        var file = CalibrationBuilder.Build(Identities(5, 4, 3), VectorMetric.UnitEuclidean, Sampling with { GenuineSets = 20, ImpostorSets = 20 }, Provenance);
        var json = CalibrationFileJson.Serialize(file);
        Assert.Contains("\"modelName\": \"face-recognition\"", json, StringComparison.Ordinal);
        Assert.Contains("\"metric\": \"Euclidean\"", json, StringComparison.Ordinal);
        Assert.Contains("\"commandLine\": \"matchctl calibrate faces/\"", json, StringComparison.Ordinal);
        var back = CalibrationFileJson.Deserialize(json);
        Assert.Equal(file.A, back.A);
        Assert.Equal(file.B, back.B);
        Assert.Equal(file.Created, back.Created);
        Assert.Equal(file.GenuineScores, back.GenuineScores);
        Assert.Equal(file.ImpostorScores, back.ImpostorScores);
        Assert.True(back.Normalize);

        using var stream = new MemoryStream();
        await CalibrationFileJson.SerializeAsync(stream, file, CancellationToken.None);
        stream.Position = 0;
        var fromStream = await CalibrationFileJson.DeserializeAsync(stream, CancellationToken.None);
        Assert.Equal(json, CalibrationFileJson.Serialize(fromStream));
    }

    [Fact]
    public void InvalidFilesNameTheField()
    {
        var json = CalibrationFileJson.Serialize(CalibrationBuilder.Build(Identities(4, 3, 4), VectorMetric.Euclidean, Sampling with { GenuineSets = 5, ImpostorSets = 5 }, Provenance));
        Assert.Equal("a", Assert.Throws<CalibrationFileException>(() => CalibrationFileJson.Deserialize(ReplaceNumber(json, "a", "-1"))).Field);
        Assert.Equal("format", Assert.Throws<CalibrationFileException>(() => CalibrationFileJson.Deserialize(json.Replace("matchservice.verify-calibration", "other", StringComparison.Ordinal))).Field);
        Assert.Equal("genuineScores", Assert.Throws<CalibrationFileException>(() => CalibrationFileJson.Deserialize(ReplaceArray(json, "genuineScores", "[]"))).Field);
        var broken = Assert.Throws<CalibrationFileException>(() => CalibrationFileJson.Deserialize(ReplaceNumber(json, "b", "\"x\"")));
        Assert.Contains("b", broken.Field, StringComparison.Ordinal);
        Assert.Throws<CalibrationFileException>(() => CalibrationFileJson.Deserialize("{"));
    }

    private static string ReplaceNumber(string json, string field, string value)
    {
        var key = $"\"{field}\": ";
        var start = json.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = json.IndexOfAny([',', '\n'], start);
        return new StringBuilder(json).Remove(start, end - start).Insert(start, value).ToString();
    }

    private static string ReplaceArray(string json, string field, string value)
    {
        var key = $"\"{field}\": ";
        var start = json.IndexOf(key, StringComparison.Ordinal) + key.Length;
        var end = json.IndexOf(']', start) + 1;
        return new StringBuilder(json).Remove(start, end - start).Insert(start, value).ToString();
    }
}
