using System.Globalization;
using MatchService.Contracts.V1;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary>Tables of <c>matchctl embed</c>: persons with weights and why, same-person groups, nearest persons.</summary>
public static class EmbedTables
{
    /// <summary>Prints the image results and the summary.</summary>
    public static void Print(IReadOnlyList<EmbedImageResult> images, EmbedResponse last)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(last);
        var persons = new Table().Title($"persons (f_g: {last.GlobalModel.Name} v{last.GlobalModel.Version}, f_h: {last.HeadShoulderModel.Name} v{last.HeadShoulderModel.Version})")
            .AddColumns("image", "person", "box", "box from", "head-shoulder from", "w_g", "w_h", "why");
        foreach (var image in images.OrderBy(i => i.ImageIndex))
        {
            foreach (var p in image.Persons)
            {
                persons.AddRow(Markup.Escape(image.ImageId), N(p.Index), Box(p.Box), p.WholeImage ? "whole image" : Source(p.BoxSource),
                    Source(p.HeadShoulderSource), F(p.GlobalWeight, "0.###"), F(p.HeadShoulderWeight, "0.###"), Markup.Escape(p.WeightReason.Explanation));
            }
        }

        AnsiConsole.Write(persons);
        var summary = last.Summary;
        var groups = new Table().Title(string.Create(CultureInfo.InvariantCulture,
            $"same-person groups ({Metric(summary.Metric)} distance ≤ {summary.DistanceBound:0.###})")).AddColumns("group", "persons");
        var found = Groups(summary);
        for (var g = 0; g < found.Count; g++)
        {
            groups.AddRow(N(g + 1), Markup.Escape(string.Join(", ", found[g].Select(i => Name(summary.Persons[i])))));
        }

        if (found.Count == 0)
        {
            groups.AddRow("-", "no two persons of different images are within the bound");
        }

        AnsiConsole.Write(groups);
        var nearest = new Table().Title($"top-{summary.TopN} nearest persons in other images").AddColumns("person", "nearest (distance)");
        foreach (var hood in summary.Nearest)
        {
            nearest.AddRow(Markup.Escape(Name(hood.Person)),
                Markup.Escape(string.Join(", ", hood.Nearest.Select(n => string.Create(CultureInfo.InvariantCulture, $"{Name(n.Second)} ({n.Distance:0.###})")))));
        }

        AnsiConsole.Write(nearest);
    }

    /// <summary>
    /// Same-person groups from the summary's pairs: merged nearest first, never putting two persons of one image into one
    /// group (the server's own grouping rule); groups of two or more, as indexes into the summary's persons.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>> Groups(EmbedSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var index = summary.Persons.Select((p, i) => (p, i)).ToDictionary(x => (x.p.ImageIndex, x.p.PersonIndex), x => x.i);
        var parent = Enumerable.Range(0, summary.Persons.Count).ToArray();
        var images = summary.Persons.Select(p => new HashSet<int> { p.ImageIndex }).ToArray();
        foreach (var pair in summary.PairsWithinBound.OrderBy(p => p.Distance))
        {
            var a = Find(index[(pair.First.ImageIndex, pair.First.PersonIndex)]);
            var b = Find(index[(pair.Second.ImageIndex, pair.Second.PersonIndex)]);
            if (a != b && !images[a].Overlaps(images[b]))
            {
                var (root, child) = a < b ? (a, b) : (b, a);
                parent[child] = root;
                images[root].UnionWith(images[child]);
            }
        }

        return [.. Enumerable.Range(0, parent.Length).GroupBy(Find).Where(g => g.Count() > 1).Select(g => (IReadOnlyList<int>)[.. g.Order()]).OrderBy(g => g[0])];

        int Find(int x)
        {
            while (parent[x] != x)
            {
                x = parent[x] = parent[parent[x]];
            }

            return x;
        }
    }

    private static string Name(PersonId id) => $"{id.ImageId}#{id.PersonIndex}";

    private static string Box(Box b) => string.Create(CultureInfo.InvariantCulture, $"{b.X:0},{b.Y:0} {b.Width:0}×{b.Height:0}");

    private static string Source(ModelSource source) => source switch
    {
        ModelSource.Client => "client",
        ModelSource.Model => "model",
        ModelSource.Descriptor => "descriptor",
        ModelSource.Rule => "rule",
        _ => "-",
    };

    private static string Metric(Metric metric) => metric == Contracts.V1.Metric.Cosine ? "cosine" : "euclidean";

    private static string N(int v) => v.ToString(CultureInfo.InvariantCulture);

    private static string F(float v, string format) => v.ToString(format, CultureInfo.InvariantCulture);
}
