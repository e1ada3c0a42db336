using MatchService.Inference.Runtime;
using MatchService.Testing;

namespace MatchService.Inference.Tests;

/// <summary>
/// The lowered threads that decode images and pack batches: work runs below the request path's priority, and the
/// caller resumes at its own (ComputePriorityTests: completions go through the relay).
/// </summary>
public sealed class ComputeThreadsTests
{
    [Fact]
    public async Task Work_RunsOnALoweredThread_AndTheCallerResumesAtItsOwnPriority()
    {
        using var threads = new ComputeThreads(threads: 2, nice: 4, "decode");
        var caller = ThreadNice.OfCurrentThread();

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            var (nice, name) = await threads.RunAsync(() => (ThreadNice.OfCurrentThread(), Thread.CurrentThread.Name), CancellationToken.None)
                .ConfigureAwait(false);
            return (nice, name, ThreadNice.OfCurrentThread());
        }));

        Assert.All(results, r => Assert.Equal(ThreadNice.Lowered(caller, 4), r.Item1));
        Assert.All(results, r => Assert.Equal("decode", r.Item2));
        Assert.All(results, r => Assert.Equal(caller, r.Item3));
    }

    [Fact]
    public void ParallelFor_OnTheseThreads_RunsItsBodiesLowered()
    {
        using var threads = new ComputeThreads(threads: 2, nice: 3, "packing");
        var caller = ThreadNice.OfCurrentThread();
        var nice = new int[16];

        Parallel.For(0, nice.Length, new ParallelOptions { MaxDegreeOfParallelism = 2, TaskScheduler = threads }, i => nice[i] = ThreadNice.OfCurrentThread());

        Assert.All(nice, n => Assert.Equal(ThreadNice.Lowered(caller, 3), n)); // none inline on the caller's thread
    }

    [Fact]
    public async Task WorkBeyondTheThreadCount_Queues_AndAllCompletes()
    {
        using var threads = new ComputeThreads(threads: 1, nice: 0, "decode");
        using var hold = new ManualResetEventSlim();
        var first = threads.RunAsync(() => hold.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None);
        var queued = Enumerable.Range(1, 5).Select(i => threads.RunAsync(() => i, CancellationToken.None)).ToArray();
        Assert.All(queued, q => Assert.False(q.IsCompleted)); // the one thread is busy

        hold.Set();
        Assert.True(await first);
        var results = await Task.WhenAll(queued);
        Assert.Equal([1, 2, 3, 4, 5], results);
    }

    [Fact]
    public async Task WorkWhoseCallerLeftBeforeItStarted_NeverRuns()
    {
        using var threads = new ComputeThreads(threads: 1, nice: 0, "decode");
        using var hold = new ManualResetEventSlim();
        var busy = threads.RunAsync(() => hold.Wait(TimeSpan.FromMinutes(1)), CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var ran = false;
        var skipped = threads.RunAsync(() => ran = true, gone.Token);

        await gone.CancelAsync();
        hold.Set();
        await busy;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => skipped);
        Assert.False(ran);
    }

    [Fact]
    public async Task FailedWork_ReachesItsCaller_AndTheThreadGoesOn()
    {
        using var threads = new ComputeThreads(threads: 1, nice: 0, "decode");
        var failed = await Assert.ThrowsAsync<InvalidDataException>(() => threads.RunAsync<int>(() => throw new InvalidDataException("not a JPEG"), CancellationToken.None));
        Assert.Equal("not a JPEG", failed.Message);
        Assert.Equal(42, await threads.RunAsync(() => 42, CancellationToken.None));
    }
}
