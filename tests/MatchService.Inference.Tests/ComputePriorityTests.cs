using MatchService.Inference.Engine;
using MatchService.Inference.Runtime;
using MatchService.Inference.Tests.Support;
using MatchService.Testing;

namespace MatchService.Inference.Tests;

/// <summary>
/// <see cref="ComputePriority"/> on Linux: the threads that compute run below the request path, and the threads they
/// start inherit that (ONNX Runtime's intra-op pool is created on such a thread).
/// </summary>
public sealed class ComputePriorityTests
{
    [Fact]
    public void LowerCurrentThread_RaisesOnlyThatThreadsNiceValue()
    {
        var outside = ThreadNice.OfCurrentThread();
        var (before, lowered, after) = OnNewThread(() =>
        {
            var before = ThreadNice.OfCurrentThread();
            var lowered = ComputePriority.LowerCurrentThread(5);
            return (before, lowered, ThreadNice.OfCurrentThread());
        });

        Assert.True(lowered);
        Assert.Equal(ThreadNice.Lowered(before, 5), after);
        Assert.Equal(outside, ThreadNice.OfCurrentThread()); // per thread, not the process
    }

    [Fact]
    public void LowerCurrentThread_ByZero_LeavesThePriority()
    {
        var (lowered, before, after) = OnNewThread(() => (ComputePriority.LowerCurrentThread(0), ThreadNice.OfCurrentThread(), ThreadNice.OfCurrentThread()));

        Assert.False(lowered);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task RunOnLoweredThread_TheThreadsItStartsInheritThePriority()
    {
        var outside = ThreadNice.OfCurrentThread();
        var started = -1;
        await ComputePriority.RunOnLoweredThreadAsync(() => started = OnNewThread(ThreadNice.OfCurrentThread), 7, "test");

        Assert.Equal(ThreadNice.Lowered(outside, 7), started);
    }

    [Fact]
    public async Task OnRequestPath_FromALoweredThread_RunsAtTheProcesssPriority_AndInlineFromAnyOtherThread()
    {
        // A lowered thread that completed a task itself could make the thread pool start a thread there, which would
        // inherit the lower priority (measured: 64 of 64 continuations ran at the lowered value).
        var outside = ThreadNice.OfCurrentThread();
        var inline = -1;
        ComputePriority.OnRequestPath(() => inline = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, inline);

        var relayed = new TaskCompletionSource<(int Nice, int Thread)>();
        var loweredThread = -1;
        await ComputePriority.RunOnLoweredThreadAsync(() =>
        {
            loweredThread = Environment.CurrentManagedThreadId;
            ComputePriority.OnRequestPath(() => relayed.SetResult((ThreadNice.OfCurrentThread(), Environment.CurrentManagedThreadId)));
        }, 6, "test");

        var (nice, thread) = await relayed.Task;
        Assert.Equal(outside, nice);
        Assert.NotEqual(loweredThread, thread);
    }

    [Fact]
    public async Task RunOnLoweredThread_PassesTheWorksExceptionOn()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ComputePriority.RunOnLoweredThreadAsync(() => throw new InvalidOperationException("model file unreadable"), 3, "test"));
        Assert.Equal("model file unreadable", thrown.Message);
    }

    private static T OnNewThread<T>(Func<T> work)
    {
        T result = default!;
        var thread = new Thread(() => result = work());
        thread.Start();
        thread.Join();
        return result;
    }
}

/// <summary>The engine's model workers run at <see cref="InferenceEngineOptions.ComputeNice"/> below the caller.</summary>
public sealed class ComputeNiceEngineTests
{
    private const int Dim = 4;

    [Theory]
    [InlineData(6)]
    [InlineData(0)]
    public async Task TheWorkerThatRunsABatch_IsLoweredByComputeNice_AndItsCallersResumeAtTheirOwnPriority(int computeNice)
    {
        using var repo = new TestRepository().Add("affine",
            TestRepository.VectorConfig(Dim, """{ "max_batch_size": 1, "max_queue_delay_us": 0 }""", """[{ "name": "y", "meaning": "embedding" }]"""),
            TestModels.Affine(Dim));
        var caller = ThreadNice.OfCurrentThread();
        await using var engine = await repo.StartAsync(new InferenceEngineOptions { ComputeNice = computeNice });

        var inputs = Enumerable.Range(0, 32).Select(_ => new NiceRecordingInput(Dim)).ToArray();
        var resumedAt = await Task.WhenAll(inputs.Select(async input =>
        {
            await engine.GetModel("affine").InferAsync(input).ConfigureAwait(false);
            Thread.Sleep(5); // keep the pool thread busy, so that the next completion needs another
            return ThreadNice.OfCurrentThread();
        }));

        Assert.All(inputs, input => Assert.Equal(ThreadNice.Lowered(caller, computeNice), input.PackedAtNice));
        Assert.All(resumedAt, nice => Assert.Equal(caller, nice));
    }

    /// <summary>Small items are packed by the instance's worker itself: it records that thread's nice value.</summary>
    private sealed class NiceRecordingInput(int dim) : MatchService.Inference.Batching.IBatchInput
    {
        public int PackedAtNice { get; private set; } = int.MinValue;

        public void WriteTo(Span<float> slot)
        {
            PackedAtNice = ThreadNice.OfCurrentThread();
            slot[..dim].Clear();
        }
    }
}
