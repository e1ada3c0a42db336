using System.Globalization;

namespace MatchService.Contracts;

/// <summary>
/// The <c>match-stage-ms</c> response trailer: the server's busy time per pipeline stage of one call, summed over its
/// concurrent items, as <c>stage=milliseconds</c> pairs in stage-name order, e.g. <c>decode=12.5;global=30.1</c>. The
/// server writes it (on answers and failures alike); matchctl's benchmarks read it to show where a call's time goes.
/// </summary>
public static class StageTrailer
{
    /// <summary>The trailer name.</summary>
    public const string Name = "match-stage-ms";

    /// <summary>The trailer value: stages in ordinal name order, milliseconds with at most three decimals.</summary>
    public static string Format(IEnumerable<KeyValuePair<string, double>> milliseconds) =>
        string.Join(';', milliseconds.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:0.###}")));

    /// <summary>The stages of a trailer value in its order; null or empty gives none, and a malformed pair is skipped.</summary>
    public static IReadOnlyList<KeyValuePair<string, double>> Parse(string? value)
    {
        var stages = new List<KeyValuePair<string, double>>();
        foreach (var pair in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(pair.AsSpan(eq + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                stages.Add(new(pair[..eq], ms));
            }
        }

        return stages;
    }
}
