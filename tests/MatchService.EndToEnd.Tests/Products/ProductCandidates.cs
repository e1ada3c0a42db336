using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Persons.Support;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>Candidates cut from the sample photos and labelled by the test: tops (torso), faces (head) and scenery (background).</summary>
internal static class ProductCandidates
{
    private static readonly Lazy<IReadOnlyList<(string Id, string Category, byte[] Data)>> All = new(Cut);

    /// <summary>The torso of person <paramref name="person"/> of sample <paramref name="sample"/>.</summary>
    public static Rect Top(int sample, int person)
    {
        var p = Photos.People[sample][person];
        return new Rect(p.X + (p.Width * 15 / 100), p.Y + (p.Height * 25 / 100), p.Width * 70 / 100, p.Height * 35 / 100);
    }

    /// <summary>The id of a top candidate.</summary>
    public static string TopId(int sample, int person) => $"s{sample}p{person}-top";

    /// <summary>Every candidate (cut once per test run).</summary>
    public static IReadOnlyList<(string Id, string Category, byte[] Data)> Items => All.Value;

    /// <summary>As proto candidates with images.</summary>
    public static IEnumerable<Candidate> AsCandidates() =>
        Items.Select(c => new Candidate { Id = c.Id, Category = c.Category, Image = ByteString.CopyFrom(c.Data) });

    private static List<(string, string, byte[])> Cut()
    {
        var items = new List<(string, string, byte[])>();
        foreach (var (sample, people) in Photos.People)
        {
            var photo = Photos.Sample(sample);
            for (var i = 0; i < people.Length; i++)
            {
                var p = people[i];
                items.Add((TopId(sample, i), "tops", Photos.Cut(photo, Top(sample, i))));
                items.Add(($"s{sample}p{i}-face", "faces", Photos.Cut(photo, new Rect(p.X + (p.Width / 4), p.Y, p.Width / 2, p.Height / 5))));
            }
        }

        items.Add(("s1-wall", "scenery", Photos.Cut(Photos.Sample(1), new Rect(0, 0, 600, 200))));
        items.Add(("s3-window", "scenery", Photos.Cut(Photos.Sample(3), new Rect(400, 0, 600, 200))));
        items.Add(("s2-cushion", "scenery", Photos.Cut(Photos.Sample(2), new Rect(1700, 300, 220, 300))));
        return items;
    }
}
