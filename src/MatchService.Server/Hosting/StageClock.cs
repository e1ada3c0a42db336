using Grpc.Core;
using System.Collections.Concurrent;
using System.Diagnostics;

namespace MatchService.Server.Hosting;

/// <summary>
/// Busy time per pipeline stage of one call, summed over its concurrent items (so the stages of a stream of images
/// may add up to more than the wall time). <c>StageTrailerInterceptor</c> gives each call one (<see cref="Of"/>) and
/// sends it back in the <see cref="Contracts.StageTrailer"/> trailer, which the benchmarks turn into shares.
/// </summary>
internal sealed class StageClock
{
    /// <summary>The call's clock (created on first use; the interceptor writes it into the trailers when the call ends).</summary>
    public static StageClock Of(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.UserState.TryGetValue(typeof(StageClock), out var clock))
        {
            return (StageClock)clock;
        }
        var created = new StageClock();
        context.UserState[typeof(StageClock)] = created;
        return created;
    }

    /// <summary>The call's clock if a handler used one.</summary>
    public static StageClock? Find(ServerCallContext context) =>
        context?.UserState.TryGetValue(typeof(StageClock), out var clock) == true ? (StageClock)clock : null;

    private readonly ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    /// <summary>Adds the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch.GetTimestamp"/>) to a stage.</summary>
    public void Add(string stage, long startTimestamp) =>
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
            Add(stage, start);
        }
    }

    /// <summary>Milliseconds per stage so far.</summary>
    public IReadOnlyDictionary<string, double> Milliseconds() =>
        _ticks.ToDictionary(kv => kv.Key, kv => kv.Value * 1000.0 / Stopwatch.Frequency, StringComparer.Ordinal);

    /// <summary>The trailer value (<see cref="Contracts.StageTrailer.Format"/>).</summary>
    public string Format() => Contracts.StageTrailer.Format(Milliseconds());
}
