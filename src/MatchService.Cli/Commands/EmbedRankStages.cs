using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary>
/// Sums the server's per-stage busy times (the <c>match-stage-ms</c> trailer of EmbedPersons and RankCandidates:
/// <c>stage=ms;stage=ms</c>) over many calls and prints each stage's share.
/// </summary>
public sealed class EmbedRankStages
{
    /// <summary>The trailer name.</summary>
    public const string TrailerName = "match-stage-ms";

    private readonly ConcurrentDictionary<string, double> _ms = new(StringComparer.Ordinal);

    /// <summary>Adds one call's trailer value.</summary>
    public void Add(string? trailer)
    {
        foreach (var part in (trailer ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                _ms.AddOrUpdate(part[..eq], ms, (_, t) => t + ms);
            }
        }
    }

    /// <summary>Prints the shares, largest first.</summary>
    public void Print(string title)
    {
        var total = _ms.Values.Sum();
        var table = new Table().Title(title).AddColumns("stage", "busy ms", "share");
        foreach (var (stage, ms) in _ms.OrderByDescending(kv => kv.Value))
        {
            table.AddRow(stage, ms.ToString("F1", CultureInfo.InvariantCulture), total > 0 ? (ms / total).ToString("P1", CultureInfo.InvariantCulture) : "-");
        }

        AnsiConsole.Write(table);
    }
}
