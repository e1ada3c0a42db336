using MatchService.Matching.Persons;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Tests;

/// <summary>The summary's top-N lists: other images only, nearest first, cut at N.</summary>
public class PersonGalleryNearestTests
{
    [Fact]
    public void TopNListsOnlyPersonsOfOtherImagesNearestFirst()
    {
        var rng = new Random(5);
        var gallery = new PersonGallery(new PersonGalleryOptions { TopN = 3, Metric = VectorMetric.Euclidean });
        for (var image = 0; image < 4; image++)
        {
            for (var person = 0; person < 2; person++)
            {
                gallery.Add(new PersonKey($"img{image}", person), TestVectors.Gaussian(rng, 8));
            }
        }

        var summary = gallery.Summarize();
        var p = summary.Persons.Count;
        for (var i = 0; i < p; i++)
        {
            var expected = Enumerable.Range(0, p)
                .Where(j => summary.Persons[j].ImageId != summary.Persons[i].ImageId)
                .OrderBy(j => summary.Distances[(i * p) + j])
                .Take(3)
                .ToArray();
            Assert.Equal(expected, summary.Nearest[i].Select(n => n.Person));
            Assert.All(summary.Nearest[i], n => Assert.Equal(summary.Distances[(i * p) + n.Person], n.Distance, 1e-6));
        }
    }

    [Fact]
    public void TopNZeroGivesEmptyListsAndAOneImageStreamHasNoNeighbours()
    {
        var none = new PersonGallery(new PersonGalleryOptions { TopN = 0 });
        none.Add(new PersonKey("a", 0), [1f, 0f]);
        none.Add(new PersonKey("b", 0), [0f, 1f]);
        Assert.All(none.Summarize().Nearest, Assert.Empty);

        var single = new PersonGallery();
        single.Add(new PersonKey("a", 0), [1f, 0f]);
        single.Add(new PersonKey("a", 1), [0.9f, 0.1f]);
        var summary = single.Summarize();
        Assert.All(summary.Nearest, Assert.Empty);
        Assert.Empty(summary.Pairs);
        Assert.Empty(summary.Groups);
    }
}
