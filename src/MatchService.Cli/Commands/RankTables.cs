using System.Globalization;
using MatchService.Contracts.V1;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary>Tables of <c>matchctl rank</c>: intent, then per region the ordered results and the dropped candidates.</summary>
public static class RankTables
{
    /// <summary>Prints a response.</summary>
    public static void Print(RankResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        AnsiConsole.MarkupLineInterpolated(CultureInfo.InvariantCulture,
            $"intent [bold]{response.Intent}[/] (score {response.IntentScore:0.###}, from {response.IntentSource}); {response.CandidateCount} candidates; model {response.Model.Name} v{response.Model.Version}; r ≥ {response.Thresholds.MinRankValue:0.###}, e_c ≤ {response.Thresholds.MaxInformationContent:0.###}");
        if (response.SearchSkipped)
        {
            AnsiConsole.MarkupLine("[yellow]search skipped[/]: the query is not a product (nothing was embedded or searched)");
            return;
        }

        foreach (var region in response.Regions)
        {
            var name = region.Label.Length == 0 ? "whole image" : region.Label;
            var results = new Table().Title(string.Create(CultureInfo.InvariantCulture,
                    $"{name} at {region.Box.X:0},{region.Box.Y:0} {region.Box.Width:0}×{region.Box.Height:0} (score {region.Score:0.###})"))
                .AddColumns("#", "id", "category", "r", "distance", "position X", "category score");
            var order = 0;
            foreach (var r in region.Results)
            {
                results.AddRow(I(++order), Markup.Escape(r.Id), Markup.Escape(r.Category), F(r.RankValue), F(r.Distance), I(r.Position), F(r.CategoryScore));
            }

            AnsiConsole.Write(results);
            if (region.Dropped.Count > 0)
            {
                var dropped = new Table().Title("dropped").AddColumns("id", "category", "filter", "value", "limit");
                foreach (var d in region.Dropped)
                {
                    dropped.AddRow(Markup.Escape(d.Id), Markup.Escape(d.Category),
                        d.Filter == DropFilter.RankThreshold ? "rank value r" : "category information e_c", F(d.Value), F(d.Limit));
                }

                AnsiConsole.Write(dropped);
            }

            var categories = new Table().Title("categories after the rank filter").AddColumns("category", "n_c", "e_c", "dropped");
            foreach (var c in region.Categories)
            {
                categories.AddRow(Markup.Escape(c.Category), I(c.Count), F(c.InformationContent), c.Dropped ? "yes" : "no");
            }

            AnsiConsole.Write(categories);
        }
    }

    private static string F(float v) => v.ToString("0.####", CultureInfo.InvariantCulture);

    private static string I(int v) => v.ToString(CultureInfo.InvariantCulture);
}
