using System.Collections.Concurrent;
using System.Diagnostics;
using MatchService.Cli.Bench;

namespace MatchService.EndToEnd.Tests.Bench;

/// <summary>matchctl bench's load generator: callers spread over the ramp-up, and every requested call is made.</summary>
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task CallersStartSpreadOverTheRampUpInsteadOfAllAtOnce()
    {
        // Each call holds until the run ends, so every caller makes exactly one call, started in its slot of the ramp.
        var starts = new ConcurrentQueue<long>();
        async Task HoldUntilTheEnd(CancellationToken ct)
        {
            starts.Enqueue(Stopwatch.GetTimestamp());
            await Task.Delay(Timeout.Infinite, ct);
        }

        var options = new LoadOptions
        {
            Concurrency = 4,
            RampUp = TimeSpan.FromSeconds(2),
            Duration = TimeSpan.FromSeconds(3),
            ShowProgress = false,
        };
        var runStart = Stopwatch.GetTimestamp();
        await new LoadGenerator().RunAsync(HoldUntilTheEnd, options);

        var ordered = starts.Order().ToArray();
        Assert.Equal(4, ordered.Length);
        // Slots are 500 ms apart, so the i-th start comes no earlier than i × 500 ms after the run began. Only a lower
        // bound: a timer never fires before its time (a little slack for its resolution), but a loaded machine may
        // fire it late, so the gaps between two starts prove nothing.
        for (var i = 1; i < ordered.Length; i++)
        {
            var offset = Stopwatch.GetElapsedTime(runStart, ordered[i]);
            Assert.True(offset >= TimeSpan.FromMilliseconds((500 * i) - 50), $"start {i} came {offset.TotalMilliseconds:F0} ms after the run began");
        }
    }

    [Fact]
    public async Task ARampedRunStillMakesEveryRequestedCall()
    {
        var calls = 0;
        Task Count(CancellationToken ct)
        {
            Interlocked.Increment(ref calls);
            return Task.CompletedTask;
        }

        var options = new LoadOptions { Concurrency = 3, RampUp = TimeSpan.FromMilliseconds(300), Requests = 7, Duration = null, ShowProgress = false };
        var result = await new LoadGenerator().RunAsync(Count, options);

        Assert.Equal(7, calls);
        Assert.Equal(7L, result.Succeeded);
        Assert.Equal(0L, result.Failed);
    }
}
