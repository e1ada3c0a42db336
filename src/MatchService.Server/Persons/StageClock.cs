using Grpc.Core;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace MatchService.Server.Persons;

/// <summary>
/// Busy time per pipeline stage of one call, summed over its concurrent items (so the stages of a stream of images
/// may add up to more than the wall time). Sent to the client in the <see cref="TrailerName"/> trailer as
/// <c>stage=milliseconds</c> pairs, e.g. <c>decode=12.5;global=30.1</c>, which the benchmarks turn into shares.
/// </summary>
public sealed class StageClock
{
    /// <summary>The trailer carrying the stage times.</summary>
    public const string TrailerName = "match-stage-ms";

    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to a stage.</summary>
    public void AddSince(string stage, long startTimestamp) =>
        _ticks.AddOrUpdate(stage, Stopwatch.GetTimestamp() - startTimestamp, (_, t) => t + Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>Runs <paramref name="body"/> and adds its duration to <paramref name="stage"/>.</summary>
    public async Task<T> TimeAsync<T>(string stage, Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var start = Stopwatch.GetTimestamp();
        try
        {
            return await body().ConfigureAwait(false);
        }
        finally
        {
            AddSince(stage, start);
        }
    }

    /// <summary>Milliseconds per stage so far.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds() =>
        _ticks.ToDictionary(kv => kv.Key, kv => kv.Value * 1000.0 / Stopwatch.Frequency, StringComparer.Ordinal);

    /// <summary>The trailer value, stages in name order.</summary>
    public string Format() => string.Join(';', Milliseconds().OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:0.###}")));

    /// <summary>Adds the trailer to the call's response trailers.</summary>
    public void WriteTrailer(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ResponseTrailers.Add(TrailerName, Format());
    }

    /// <summary>Parses a trailer value written by <see cref="Format"/> (client side).</summary>
    public static IReadOnlyDictionary<string, double> Parse(string? value)
    {
        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var part in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && double.TryParse(part[(eq + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
            {
                stages[part[..eq]] = ms;
            }
        }

        return stages;
    }
}
