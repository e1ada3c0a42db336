using MatchService.Inference.Batching;
using MatchService.Inference.Engine;
using MatchService.Inference.Tests.Support;

namespace MatchService.Inference.Tests;

/// <summary>
/// Admission control and deadlines on real sessions: an item the queue cannot finish before its deadline is refused on
/// arrival; admitted items run in order; the client's deadline is the deadline; work whose caller is gone never runs.
/// The worker is held inside packing (a batch that is still running) so that the queue ahead is exactly known, and the
/// learned t(batch) is taught, so estimates do not depend on this machine's speed.
/// </summary>
public sealed class AdmissionTests
{
    private const int Dim = 4;

    private static TestRepository Affine(string batching) => new TestRepository().Add("affine",
        TestRepository.VectorConfig(Dim, batching, """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));

    [Fact]
    public async Task ItemTheQueueCannotFinishInTime_IsRefusedAtOnce_AndAdmittedItemsRunInArrivalOrder()
    {
        using var repo = Affine("""{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 }""");
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");
        model.Estimator.Observe(1, 1.0); // one item takes a second
        var log = new PackLog();
        using var hold = new ManualResetEventSlim();

        var running = model.InferAsync(new RecordingInput(0, log, Dim, hold));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));
        var queued = new[] { 1f, 2, 3 }.Select(v => model.InferAsync(new RecordingInput(v, log, Dim))).ToArray();

        // Three queued seconds plus its own and the running one's rest: a 2 s deadline cannot be met.
        var late = model.InferAsync(new RecordingInput(9, log, Dim), TimeSpan.FromSeconds(2));
        Assert.True(late.IsFaulted, "refused on arrival, not after waiting");
        var refusal = await Assert.ThrowsAsync<DeadlineUnreachableException>(() => late);
        Assert.Equal(3, refusal.ItemsAhead);
        Assert.Equal(TimeSpan.FromSeconds(2), refusal.Deadline);
        Assert.True(refusal.EstimatedFinish >= TimeSpan.FromSeconds(4), $"estimated {refusal.EstimatedFinish}");
        Assert.True(refusal.RetryPushbackMs >= 4000, $"pushback {refusal.RetryPushbackMs} ms: the queued work ahead takes at least 4 s");
        Assert.Contains("3 items ahead", refusal.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<ModelOverloadedException>(refusal);

        // The same work with a deadline it can meet is admitted.
        var admitted = model.InferAsync(new RecordingInput(10, log, Dim), TimeSpan.FromSeconds(60));
        Assert.False(admitted.IsCompleted);

        hold.Set();
        var results = await Task.WhenAll([running, .. queued, admitted]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0f, 1, 2, 3, 10], log.Packed);
        Assert.Equal(new[] { 21f, 23, 25, 27 }, results[^1]["y"].Data); // 2·(10 + i) + 1
        Assert.Equal(1, model.Statistics.Rejected);
    }

    [Fact]
    public async Task ItemInAFormingBatch_IsRefusedWhenTheBatchLeavesTooLate_AndTheBatchCompletesWithoutIt()
    {
        // Batches of 4 leave after 30 s unless full: with two items waiting, a third with 1 s left cannot make it.
        using var repo = Affine("""{ "max_batch_size": 4, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""");
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");
        model.Estimator.Observe(4, 0.01);
        var log = new PackLog();

        var first = new[] { 1f, 2 }.Select(v => model.InferAsync(new RecordingInput(v, log, Dim))).ToArray();
        var late = model.InferAsync(new RecordingInput(9, log, Dim), TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<DeadlineUnreachableException>(() => late);
        Assert.True(late.IsFaulted);

        var rest = new[] { 3f, 4 }.Select(v => model.InferAsync(new RecordingInput(v, log, Dim), TimeSpan.FromSeconds(59))).ToArray();
        var results = await Task.WhenAll([.. first, .. rest]).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(results, r => Assert.Equal(4, r.BatchSize));
        Assert.Equal([1f, 2, 3, 4], log.Packed.Order());
        Assert.DoesNotContain(9f, log.Packed);
    }

    [Fact]
    public async Task BeforeAnyRunIsMeasured_NothingIsRefused()
    {
        using var repo = Affine("""{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 }""");
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");
        var log = new PackLog();
        using var hold = new ManualResetEventSlim();

        var running = model.InferAsync(new RecordingInput(0, log, Dim, hold));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));
        var queued = Enumerable.Range(1, 5).Select(v => model.InferAsync(new RecordingInput(v, log, Dim), TimeSpan.FromSeconds(30))).ToArray();
        Assert.All(queued, t => Assert.False(t.IsCompleted));

        hold.Set();
        await Task.WhenAll([running, .. queued]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, model.Statistics.Rejected);
    }

    [Fact]
    public async Task CallersDeadline_LongerThanTimeoutMs_IsTheDeadline_WhileCallsWithoutOneGetTimeoutMs()
    {
        using var repo = Affine("""{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 50 }""");
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");
        var log = new PackLog();
        using var hold = new ManualResetEventSlim();

        var running = model.InferAsync(new RecordingInput(0, log, Dim, hold), TimeSpan.FromSeconds(60));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));
        var withDeadline = model.InferAsync(new RecordingInput(1, log, Dim), TimeSpan.FromSeconds(60));
        var withoutDeadline = model.InferAsync(new RecordingInput(2, log, Dim));

        // The call without a deadline fails on the model's 50 ms default while the worker is still held...
        var expired = await Assert.ThrowsAsync<DeadlineExceededException>(() => withoutDeadline);
        Assert.Equal(TimeSpan.FromMilliseconds(50), expired.Timeout);
        Assert.False(withDeadline.IsCompleted);

        // ...and the one whose caller gave 60 s runs when the worker comes back, well past 50 ms.
        hold.Set();
        Assert.Equal(new[] { 3f, 5, 7, 9 }, (await withDeadline.WaitAsync(TimeSpan.FromSeconds(30)))["y"].Data);
        await running;

        // One more item behind the expired one: by the time it has run, the worker has swept the expired one unrun.
        await model.InferAsync(new RecordingInput(3, log, Dim), TimeSpan.FromSeconds(60));
        Assert.Equal([0f, 1, 3], log.Packed);
        Assert.Equal(1, model.Statistics.DroppedExpired);
    }

    [Fact]
    public async Task ItemWhoseCallerIsGone_IsNeverComputed()
    {
        using var repo = Affine("""{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 }""");
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");
        var log = new PackLog();
        using var hold = new ManualResetEventSlim();
        using var gone = new CancellationTokenSource();

        var running = model.InferAsync(new RecordingInput(0, log, Dim, hold));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));
        var abandoned = Enumerable.Range(1, 3).Select(v => model.InferAsync(new RecordingInput(v, log, Dim), cancellationToken: gone.Token)).ToArray();
        var kept = model.InferAsync(new RecordingInput(4, log, Dim));
        await gone.CancelAsync();
        foreach (var task in abandoned)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        }

        hold.Set();
        await Task.WhenAll(running, kept).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([0f, 4], log.Packed);
        Assert.Equal(3, model.Statistics.DroppedCancelled);
    }

    [Fact]
    public async Task TwoInstances_TheQueueDrainsOnBoth_SoTheEstimateHalves()
    {
        // Batches of 1 on two instances, both held: six items queued take three rounds, not six.
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]""", instances: """[{ "device": "cpu", "count": 2 }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync(new InferenceEngineOptions { Session = new() { IntraOpThreads = 1 } });
        var model = engine.GetModel("affine");
        model.Estimator.Observe(1, 1.0);
        var log = new PackLog();
        var second = new PackLog();
        using var hold = new ManualResetEventSlim();

        var a = model.InferAsync(new RecordingInput(100, log, Dim, hold));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));
        var b = model.InferAsync(new RecordingInput(101, second, Dim, hold));
        Assert.True(second.Held.Wait(TimeSpan.FromSeconds(30)));
        var queued = Enumerable.Range(1, 6).Select(v => model.InferAsync(new RecordingInput(v, log, Dim))).ToArray();

        // Seventh behind six on two instances: round 4 of 1 s each, about 4 s (one instance would need 7 s).
        var refused = await Assert.ThrowsAsync<DeadlineUnreachableException>(() => model.InferAsync(new RecordingInput(9, log, Dim), TimeSpan.FromSeconds(3.5)));
        Assert.InRange(refused.EstimatedFinish, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));
        var admitted = model.InferAsync(new RecordingInput(10, log, Dim), TimeSpan.FromSeconds(6));

        hold.Set();
        await Task.WhenAll([a, b, admitted, .. queued]).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(9f, log.Packed);
    }
}

/// <summary>An instance whose session fails: only its batch fails, it is marked unhealthy, the others serve, it recovers.</summary>
public sealed class InstanceFailureTests
{
    private const int Dim = 4;

    [Fact]
    public async Task FailingInstance_FailsOnlyItsBatch_WhileTheOtherServes_IsMarkedUnhealthy_AndRecovers()
    {
        using var repo = new TestRepository().Add("fragile", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]""", instances: """[{ "device": "cpu", "count": 2 }]"""), TestModels.FailsOnLargeValues(Dim));
        await using var engine = await repo.StartAsync(new() { UnhealthyAfterFailures = 1, Session = new() { IntraOpThreads = 1 } });
        await engine.WarmUpAsync();
        var model = engine.GetModel("fragile");
        var log = new PackLog();
        using var hold = new ManualResetEventSlim();

        // One instance is held inside a batch whose input makes its session fail (values 500.. index outside the table).
        var doomed = model.InferAsync(new RecordingInput(500, log, Dim, hold));
        Assert.True(log.Held.Wait(TimeSpan.FromSeconds(30)));

        // Meanwhile the other instance serves everyone else.
        var served = await Task.WhenAll(Enumerable.Range(1, 4).Select(v => model.InferAsync(new RecordingInput(v, log, Dim))));
        Assert.Equal(new[] { 2f, 4, 6, 8 }, served[0]["y"].Data);
        Assert.False(doomed.IsCompleted);

        hold.Set();
        var failure = await Assert.ThrowsAsync<InferenceFailedException>(() => doomed);
        Assert.Equal(1, failure.BatchSize);
        for (var i = 0; i < 200 && engine.Instances.All(h => h.Healthy); i++)
        {
            await Task.Delay(10); // the worker fails its callers first and marks itself just after
        }

        var unhealthy = Assert.Single(engine.Instances, h => !h.Healthy);
        Assert.Equal(failure.Instance, unhealthy.Instance);
        Assert.True(engine.IsReady, "one healthy instance keeps the model serving");

        // Good work reaches the failed instance too (it still takes batches) and brings it back: with one instance held
        // inside a good batch, the next item must go to the other, so both run a good batch whichever was held.
        using var holdAgain = new ManualResetEventSlim();
        var again = new PackLog();
        var held = model.InferAsync(new RecordingInput(0, again, Dim, holdAgain));
        Assert.True(again.Held.Wait(TimeSpan.FromSeconds(30)));
        await model.InferAsync(new DenseInput(new float[Dim]));
        holdAgain.Set();
        await held;
        for (var i = 0; i < 200 && !engine.Instances.All(h => h.Healthy); i++)
        {
            await Task.Delay(10); // marked healthy just after the callers are answered
        }

        Assert.All(engine.Instances, h => Assert.True(h.Healthy));
        Assert.Equal(1, model.Statistics.FailedBatches);
    }
}
