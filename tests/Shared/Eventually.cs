using System.Diagnostics;

namespace MatchService.Testing;

/// <summary>
/// Waits for something that happens soon after an action (a counter scraped, a health mark set just after callers are
/// answered) by asking again until it holds. The time limit only stops a hang: it is minutes, so that a loaded 2-core
/// machine never fails a test that a fast one passes; tests assert what happened, never how fast.
/// Linked into every project under tests/ by Directory.Build.props.
/// </summary>
internal static class Eventually
{
    /// <summary>The guard against a hang.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    /// <summary>Asks <paramref name="probe"/> until <paramref name="holds"/> says yes, and returns that answer.</summary>
    /// <exception cref="TimeoutException">It never held within <see cref="Limit"/>; the message has <paramref name="what"/> and the last answer.</exception>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> holds, string what)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var answer = await probe().ConfigureAwait(false);
            if (holds(answer))
            {
                return answer;
            }

            if (Stopwatch.GetElapsedTime(started) > Limit)
            {
                throw new TimeoutException($"{what}: still not so after {Limit.TotalMinutes} minutes (last: {answer})");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds (see <see cref="UntilAsync{T}"/>).</summary>
    public static Task UntilAsync(Func<bool> condition, string what) =>
        UntilAsync(() => Task.FromResult(condition()), held => held, what);
}
