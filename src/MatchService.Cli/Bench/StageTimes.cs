using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;

namespace MatchService.Cli.Bench;

/// <summary>
/// Sums the server's <c>match-stage-ms</c> trailer (<c>decode=1.2;detect=31.5;...</c>: wall time per stage, summed over
/// a call's images) over a load run, to show where the time of a call goes.
/// </summary>
public sealed class StageTimes
{
    /// <summary>The trailer name.</summary>
    public const string TrailerName = "match-stage-ms";

    private readonly ConcurrentDictionary<string, double> _ms = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private long _calls;

    /// <summary>Calls whose trailer was read.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Adds one trailer value (ignored when null or malformed parts).</summary>
    public void Add(string? trailer)
    {
        if (string.IsNullOrEmpty(trailer))
        {
            return;
        }

        foreach (var part in trailer.Split(';'))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(part.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                var name = part[..eq];
                lock (_order)
                {
                    if (!_order.Contains(name))
                    {
                        _order.Add(name);
                    }
                }

                _ms.AddOrUpdate(name, ms, (_, sum) => sum + ms);
            }
        }

        Interlocked.Increment(ref _calls);
    }

    /// <summary>Mean ms per call and share of the summed stage time, per stage in trailer order.</summary>
    public IReadOnlyList<(string Stage, double MeanMs, double Share)> Summary()
    {
        var calls = Math.Max(1, Calls);
        var total = _ms.Values.Sum();
        lock (_order)
        {
            return _order.Select(s => (s, _ms[s] / calls, total > 0 ? _ms[s] / total : 0)).ToList();
        }
    }

    /// <summary>Prints the summary as one table row per stage.</summary>
    public void Print(IAnsiConsole console, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Title(title).AddColumns("stage", "mean ms per call", "share");
        foreach (var (stage, mean, share) in Summary())
        {
            table.AddRow(stage, mean.ToString("F1", CultureInfo.InvariantCulture), share.ToString("P1", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }
}
