using MatchService.Matching.Persons;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Tests;

public class PersonGalleryTests
{
    [Fact]
    public void MatrixIsSymmetricWithZeroDiagonalAndMatchesTheMetric()
    {
        var rng = new Random(71);
        var gallery = new PersonGallery();
        var vectors = new List<float[]>();
        for (var image = 0; image < 5; image++)
        {
            for (var person = 0; person < 3; person++)
            {
                var v = TestVectors.Gaussian(rng, 12);
                vectors.Add(v);
                gallery.Add(new PersonKey($"img{image}", person), v);
            }
        }

        var summary = gallery.Summarize();
        var p = summary.Persons.Count;
        Assert.Equal(15, p);
        Assert.Equal(p * p, summary.Distances.Length);
        for (var i = 0; i < p; i++)
        {
            Assert.Equal(0f, summary.Distances[(i * p) + i]);
            for (var j = 0; j < p; j++)
            {
                Assert.Equal(summary.Distances[(i * p) + j], summary.Distances[(j * p) + i]);
                if (i != j)
                {
                    Assert.Equal(VectorMetric.Cosine.Distance(vectors[i], vectors[j]), summary.Distances[(i * p) + j], 1e-5);
                }
            }
        }

        // Nearest lists: other images only, sorted, at most top-N.
        for (var i = 0; i < p; i++)
        {
            var list = summary.Nearest[i];
            Assert.Equal(5, list.Count);
            Assert.All(list, n => Assert.NotEqual(summary.Persons[i].ImageId, summary.Persons[n.Person].ImageId));
            Assert.Equal(list.OrderBy(n => n.Distance).Select(n => n.Distance), list.Select(n => n.Distance));
            var best = Enumerable.Range(0, p).Where(j => summary.Persons[j].ImageId != summary.Persons[i].ImageId).Min(j => summary.Distances[(i * p) + j]);
            Assert.Equal(best, list[0].Distance);
        }
    }

    [Fact]
    public void PairsAndGroupsFindTheSamePersonAcrossImagesOnly()
    {
        var gallery = new PersonGallery(new PersonGalleryOptions { PairDistanceBound = 0.05 });
        float[] alice = [1, 0, 0];
        float[] aliceAgain = [0.99f, 0.05f, 0];
        float[] bob = [0, 1, 0];
        float[] bobAgain = [0.02f, 1, 0.01f];
        float[] aliceTwin = [1, 0.01f, 0]; // same image as alice: must not join her group
        gallery.Add(new PersonKey("a", 0), alice);
        gallery.Add(new PersonKey("a", 1), bob);
        gallery.Add(new PersonKey("a", 2), aliceTwin);
        gallery.Add(new PersonKey("b", 0), bobAgain);
        gallery.Add(new PersonKey("b", 1), aliceAgain);
        var s = gallery.Summarize();

        Assert.All(s.Pairs, pair => Assert.NotEqual(s.Persons[pair.First].ImageId, s.Persons[pair.Second].ImageId));
        Assert.All(s.Pairs, pair => Assert.True(pair.Distance <= 0.05));
        Assert.Contains(s.Pairs, pair => (pair.First, pair.Second) == (1, 3));
        Assert.Contains(s.Pairs, pair => (pair.First, pair.Second) == (0, 4));
        Assert.Contains(s.Pairs, pair => (pair.First, pair.Second) == (2, 4));

        // aliceAgain is nearest to one of alice/aliceTwin; the other stays out because both are in image "a".
        Assert.Equal(2, s.Groups.Count);
        Assert.All(s.Groups, g => Assert.Equal(g.Count, g.Select(i => s.Persons[i].ImageId).Distinct().Count()));
        Assert.Contains(s.Groups, g => g.SequenceEqual([1, 3]));
        Assert.Contains(s.Groups, g => g.Contains(4) && g.Count == 2);
    }

    [Fact]
    public void LimitsAndDuplicatesAreNamedErrors()
    {
        var gallery = new PersonGallery(new PersonGalleryOptions { MaxPersons = 2 });
        gallery.Add(new PersonKey("x", 0), [1f, 0f]);
        Assert.Contains("already added", Assert.Throws<MatchingArgumentException>(() => gallery.Add(new PersonKey("x", 0), [1f, 0f])).Message, StringComparison.Ordinal);
        Assert.Equal("images[y].persons[0].representation", Assert.Throws<MatchingArgumentException>(() => gallery.Add(new PersonKey("y", 0), [1f])).Field);
        gallery.Add(new PersonKey("y", 0), [0f, 1f]);
        var full = Assert.Throws<MatchingArgumentException>(() => gallery.Add(new PersonKey("z", 0), [1f, 1f]));
        Assert.Contains("limit of 2", full.Message, StringComparison.Ordinal);
        Assert.Equal(2, gallery.Count);
    }
}
