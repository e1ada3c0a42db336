using MatchService.Matching.Calibration;
using MatchService.Matching.Verify;
using ScottPlot;

namespace MatchService.Cli.Reports;

/// <summary>
/// <c>matchctl calibrate --report</c>: the genuine and impostor distance histograms, the fitted logistic S(D) over them,
/// the DET and ROC curves of the pair distances with the EER, and the fused set scores of Verify's data model.
/// </summary>
public static class CalibrationReport
{
    private const int Bins = 40;

    /// <summary>The report of <paramref name="file"/>, fitted on <paramref name="pairs"/> (distance D, genuine or not).</summary>
    public static Report Build(CalibrationFile file, IReadOnlyList<LabeledScore> pairs)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(pairs);
        var report = new Report($"Calibration of {file.ModelName} {file.ModelVersion}");
        report.Figures.Add(("logistic S(D) = 1 / (1 + exp(A·D + B))", $"A = {Report.F(file.A, 3)}, B = {Report.F(file.B, 3)}, S = 0.5 at D = {Report.F(-file.B / file.A, 4)}"));
        report.Figures.Add(("pairs (genuine + impostor)", $"{file.GenuinePairs} + {file.ImpostorPairs}"));
        report.Figures.Add(("pair EER", $"{Report.F(100 * file.PairEer, 2)} % at D = {Report.F(file.PairEerThreshold, 4)}"));
        report.Figures.Add(("fused EER (Verify sets)", $"{Report.F(100 * file.FusedEer, 2)} % at score {Report.F(file.FusedEerThreshold, 4)}"));
        report.Figures.Add(("command", file.CommandLine));

        var genuine = pairs.Where(p => p.Genuine).Select(p => p.Value).ToArray();
        var impostor = pairs.Where(p => !p.Genuine).Select(p => p.Value).ToArray();
        var max = Math.Max(pairs.Count > 0 ? pairs.Max(p => p.Value) : 1, -file.B / file.A * 2);

        var histogram = report.AddChart("Distance D of genuine and impostor pairs, and the fitted S(D)", "D (weighted squared distance)", "share of pairs");
        Step(histogram, genuine, max, "genuine pairs", Colors.Green);
        Step(histogram, impostor, max, "impostor pairs", Colors.Red);
        var xs = Enumerable.Range(0, 201).Select(i => max * i / 200).ToArray();
        var curve = histogram.Add.ScatterLine(xs, xs.Select(d => 1 / (1 + Math.Exp((file.A * d) + file.B))).ToArray(), Colors.Blue);
        curve.LegendText = "S(D), fitted logistic";
        curve.LineWidth = 2;
        histogram.Add.VerticalLine(file.PairEerThreshold, 1, Colors.Gray, LinePattern.Dashed).LegendText = "pair EER threshold";
        histogram.ShowLegend(Alignment.UpperRight);

        var (far, frr) = Curve(pairs);
        var det = report.AddChart("DET: false rejects against false accepts (pairs, accept when D ≤ threshold)", "false accept rate", "false reject rate");
        det.Add.ScatterLine(far, frr, Colors.Purple).LegendText = "DET";
        det.Add.Scatter(file.PairEer, file.PairEer, Colors.Black).LegendText = $"EER {Report.F(100 * file.PairEer, 2)} %";
        det.ShowLegend(Alignment.UpperRight);

        var roc = report.AddChart("ROC: genuine accepts against false accepts (pairs)", "false accept rate", "true accept rate");
        roc.Add.ScatterLine(far, frr.Select(r => 1 - r).ToArray(), Colors.Purple).LegendText = "ROC";
        roc.ShowLegend(Alignment.LowerRight);

        var fused = report.AddChart("Verify's data model: fused scores of sampled sets", "fused similarity", "share of sets");
        Step(fused, [.. file.GenuineScores], 1, "genuine sets", Colors.Green);
        Step(fused, [.. file.ImpostorScores], 1, "impostor sets", Colors.Red);
        fused.ShowLegend(Alignment.UpperCenter);
        return report;
    }

    /// <summary>FAR and FRR at every distinct distance, strictest first (accepting D ≤ threshold), from (0, 1) to (1, 0).</summary>
    public static (double[] Far, double[] Frr) Curve(IReadOnlyList<LabeledScore> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var thresholds = pairs.Select(p => p.Value).Distinct().Order().ToList();
        var points = thresholds.Select(t => ErrorRates.At(pairs, t, ScoreDirection.LowerIsGenuine)).ToList();
        return ([0, .. points.Select(p => p.FalseAcceptRate)], [1, .. points.Select(p => p.FalseRejectRate)]);
    }

    // A histogram as a step line, in shares so that classes of different sizes compare.
    private static void Step(Plot plot, double[] values, double max, string label, Color color)
    {
        var counts = new double[Bins];
        foreach (var v in values)
        {
            counts[Math.Clamp((int)(v / max * Bins), 0, Bins - 1)] += 1.0 / Math.Max(1, values.Length);
        }

        var xs = new List<double> { 0 };
        var ys = new List<double> { 0 };
        for (var i = 0; i < Bins; i++)
        {
            xs.AddRange([max * i / Bins, max * (i + 1) / Bins]);
            ys.AddRange([counts[i], counts[i]]);
        }

        xs.Add(max);
        ys.Add(0);
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LegendText = $"{label} ({values.Length})";
    }
}
