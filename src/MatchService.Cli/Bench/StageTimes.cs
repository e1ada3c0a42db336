using System.Globalization;
using MatchService.Contracts;
using Spectre.Console;

namespace MatchService.Cli.Bench;

/// <summary>
/// Sums the server's <see cref="StageTrailer"/> (busy time per stage, summed over a call's concurrent images) over a
/// load run, to show where the time of a call goes: <c>bench</c>, and <c>embed</c>/<c>rank</c> with <c>--bench-seconds</c>.
/// </summary>
public sealed class StageTimes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, double> _ms = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private long _calls;

    /// <summary>Calls whose trailer was read.</summary>
    public long Calls
    {
        get
        {
            lock (_gate)
            {
                return _calls;
            }
        }
    }

    /// <summary>Adds one call's trailer value (a call without one, or a malformed pair, adds nothing).</summary>
    public void Add(string? trailer)
    {
        var stages = StageTrailer.Parse(trailer);
        if (stages.Count == 0)
        {
            return;
        }

        lock (_gate)
        {
            foreach (var (stage, ms) in stages)
            {
                if (!_ms.TryAdd(stage, ms))
                {
                    _ms[stage] += ms;
                }
                else
                {
                    _order.Add(stage);
                }
            }

            _calls++;
        }
    }

    /// <summary>Mean ms per call and share of the summed stage time, per stage in trailer order.</summary>
    public IReadOnlyList<(string Stage, double MeanMs, double Share)> Summary()
    {
        lock (_gate)
        {
            var calls = Math.Max(1, _calls);
            var total = _ms.Values.Sum();
            return _order.Select(s => (s, _ms[s] / calls, total > 0 ? _ms[s] / total : 0)).ToList();
        }
    }

    /// <summary>Prints the summary as one table row per stage.</summary>
    public void Print(IAnsiConsole console, string title)
    {
        ArgumentNullException.ThrowIfNull(console);
        var table = new Table().Title($"{title} ({StageTrailer.Name} trailer, {Calls} calls)").AddColumns("stage", "mean ms per call", "share");
        foreach (var (stage, mean, share) in Summary())
        {
            table.AddRow(stage, mean.ToString("F1", CultureInfo.InvariantCulture), share.ToString("P1", CultureInfo.InvariantCulture));
        }

        console.Write(table);
    }
}
