using System.Collections.Concurrent;
using System.Diagnostics;
using MatchService.Cli.Bench;
using ScottPlot;

namespace MatchService.Cli.Reports;

/// <summary>
/// <c>matchctl bench --report</c>: latency percentiles (p50, p90, p99) and calls per second over time, from every call
/// the run made (warm-up included), recorded around the call itself so that the load generator stays as it is.
/// </summary>
public sealed class BenchReport
{
    private readonly ConcurrentQueue<(double EndSeconds, double Ms, bool Ok)> _calls = new();
    private readonly long _started = Stopwatch.GetTimestamp();

    /// <summary>Wraps a call so that its end time, latency and outcome are recorded.</summary>
    public Func<CancellationToken, Task> Record(Func<CancellationToken, Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return async ct =>
        {
            var t0 = Stopwatch.GetTimestamp();
            var ok = false;
            try
            {
                await call(ct).ConfigureAwait(false);
                ok = true;
            }
            finally
            {
                _calls.Enqueue((Stopwatch.GetElapsedTime(_started).TotalSeconds, Stopwatch.GetElapsedTime(t0).TotalMilliseconds, ok));
            }
        };
    }

    /// <summary>Calls recorded so far.</summary>
    public int Count => _calls.Count;

    /// <summary>
    /// Percentiles per time window: windows of a twentieth of the run, at least one second; nearest-rank percentiles
    /// of the successful calls that ended in the window.
    /// </summary>
    public IReadOnlyList<(double Seconds, double P50, double P90, double P99, double CallsPerSecond, int Failed)> Windows()
    {
        var calls = _calls.ToArray();
        if (calls.Length == 0)
        {
            return [];
        }

        var end = calls.Max(c => c.EndSeconds);
        var width = Math.Max(1, end / 20);
        return calls.GroupBy(c => (int)(c.EndSeconds / width)).OrderBy(g => g.Key).Select(g =>
        {
            var ms = g.Where(c => c.Ok).Select(c => c.Ms).Order().ToArray();
            return ((g.Key + 1) * width, P(ms, 0.50), P(ms, 0.90), P(ms, 0.99), ms.Length / width, g.Count(c => !c.Ok));
        }).ToList();
    }

    /// <summary>The report: the run's figures, then percentiles and throughput over time.</summary>
    public Report Build(string title, LoadResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var report = new Report(title);
        report.Figures.Add(("callers", result.Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        report.Figures.Add(("calls (ok / failed)", $"{result.Succeeded} / {result.Failed}"));
        report.Figures.Add(("calls/s", Report.F(result.Throughput, 1)));
        report.Figures.Add(("latency p50 / p90 / p99 / max (ms)", $"{Report.F(result.P50Ms, 1)} / {Report.F(result.P90Ms, 1)} / {Report.F(result.P99Ms, 1)} / {Report.F(result.MaxMs, 1)}"));
        var windows = Windows();
        var seconds = windows.Select(w => w.Seconds).ToArray();
        var latency = report.AddChart("Latency percentiles over time (calls ending in each window, warm-up included)", "seconds since start", "latency (ms)");
        foreach (var (name, values, color) in new[]
        {
            ("p50", windows.Select(w => w.P50).ToArray(), Colors.Green),
            ("p90", windows.Select(w => w.P90).ToArray(), Colors.Orange),
            ("p99", windows.Select(w => w.P99).ToArray(), Colors.Red),
        })
        {
            var line = latency.Add.Scatter(seconds, values, color);
            line.LegendText = name;
        }

        latency.ShowLegend(Alignment.UpperLeft);
        var throughput = report.AddChart("Successful calls per second", "seconds since start", "calls/s");
        throughput.Add.Scatter(seconds, windows.Select(w => w.CallsPerSecond).ToArray(), Colors.Blue).LegendText = "calls/s";
        return report;
    }

    private static double P(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
}
