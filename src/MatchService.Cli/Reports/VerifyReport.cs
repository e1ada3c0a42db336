using MatchService.Contracts.V1;
using ScottPlot;

namespace MatchService.Cli.Reports;

/// <summary><c>matchctl verify --report</c>: the pairwise similarity heatmap, each image's weight share and each pair's weight.</summary>
public static class VerifyReport
{
    /// <summary>The report of one Verify response.</summary>
    public static Report Build(VerifyResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var report = new Report($"Verify: {response.Verdict.ToString().ToUpperInvariant()}, fused similarity {Report.F(response.FusedSimilarity)}");
        report.Figures.Add(("decided by", response.DataModel.Explanation));
        report.Figures.Add(("fusion", response.Fusion.ToString()));
        foreach (var image in response.Images)
        {
            report.Figures.Add(($"image {image.Index}: {image.ImageId}", image.Excluded ? $"excluded: {image.Reason}" : $"weight share {Report.F(image.WeightShare)}; {image.Reason}"));
        }

        foreach (var pair in response.Pairs)
        {
            report.Figures.Add(($"pair {Name(response, pair.First)} – {Name(response, pair.Second)}", $"similarity {Report.F(pair.Similarity, 4)}, weight {Report.F(pair.Weight, 4)}"));
        }

        // Images by their index; the heatmap shows S_ij at (x = j, y = i) with image 0 at the bottom (ScottPlot draws
        // row 0 of the intensities at the top, hence the reversed rows). The diagonal is no pair: blank.
        var n = response.Images.Count == 0 ? 0 : response.Images.Max(i => i.Index) + 1;
        var similarity = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                similarity[n - 1 - i, j] = double.NaN;
            }
        }

        foreach (var pair in response.Pairs)
        {
            similarity[n - 1 - pair.First, pair.Second] = pair.Similarity;
            similarity[n - 1 - pair.Second, pair.First] = pair.Similarity;
        }

        var ids = Enumerable.Range(0, n).Select(i => Name(response, i)).ToArray();
        var positions = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var heatmap = report.AddChart("Pairwise similarity S_ij (calibrated logistic on the face distance)", "image j", "image i");
        var cells = heatmap.Add.Heatmap(similarity);
        cells.ManualRange = new ScottPlot.Range(0, 1);
        cells.NaNCellColor = Colors.White;
        heatmap.Add.ColorBar(cells);
        heatmap.Axes.Bottom.SetTicks(positions, ids);
        heatmap.Axes.Left.SetTicks(positions, ids);

        var shares = report.AddChart($"Weight share of each image ({response.Fusion}; the shares sum to 1)", "image", "weight share");
        shares.Add.Bars(response.Images.OrderBy(i => i.Index).Select(i => (double)i.WeightShare).ToArray());
        shares.Axes.Bottom.SetTicks(positions, ids);

        var weights = report.AddChart("Weight w_ij of each pair in the fused similarity", "pair", "weight");
        weights.Add.Bars(response.Pairs.Select(p => (double)p.Weight).ToArray());
        weights.Axes.Bottom.SetTicks(
            Enumerable.Range(0, response.Pairs.Count).Select(i => (double)i).ToArray(),
            response.Pairs.Select(p => $"{p.First}-{p.Second}").ToArray());
        return report;
    }

    private static string Name(VerifyResponse response, int index) =>
        response.Images.FirstOrDefault(i => i.Index == index)?.ImageId ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
