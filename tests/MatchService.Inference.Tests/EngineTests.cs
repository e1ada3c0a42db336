using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Tests.Support;

namespace MatchService.Inference.Tests;

/// <summary>The engine end to end on real ONNX Runtime sessions of small generated models.</summary>
public sealed class EngineTests
{
    private const int Dim = 4;

    private static DenseInput Vector(float v) => new(Enumerable.Range(0, Dim).Select(i => v + i).ToArray());

    [Fact]
    public async Task ConcurrentCallers_FormBatchesUpToTheMaximum_AndEachGetsItsOwnResult()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 8, "max_queue_delay_us": 500000 }""",
            """[{ "name": "y", "meaning": "embedding" }, { "name": "sum", "meaning": "scores" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        var tasks = Enumerable.Range(0, 32).Select(i => model.InferAsync(Vector(i))).ToArray();
        var results = await Task.WhenAll(tasks);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(Enumerable.Range(0, Dim).Select(k => (2f * (i + k)) + 1), results[i]["y"].Data);
            Assert.Equal([Dim], results[i]["y"].Shape);
            Assert.Equal(Enumerable.Range(0, Dim).Sum(k => (float)(i + k)), Assert.Single(results[i]["sum"].Data));
            Assert.Equal(8, results[i].BatchSize);
            Assert.Equal("1", results[i].Version);
        }

        Assert.Equal(4, model.Statistics.Batches);
        Assert.Equal(32, model.Statistics.Items);
        Assert.Equal(8, model.Statistics.LargestBatch);
    }

    [Fact]
    public async Task WithoutTheCpuArena_SessionsAllocatePerRun_AndGiveTheSameResults()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 4, "max_queue_delay_us": 1000 }"""), TestModels.Affine(Dim));
        await using var arena = await repo.StartAsync();
        await using var perRun = await repo.StartAsync(new() { Session = new() { CpuMemoryArena = false } });
        using var options = Runtime.SessionOptionsFactory.Create(new Configuration.InstanceSpec(Configuration.DeviceSpec.Cpu, 1), Configuration.DeviceSpec.Cpu,
            new Runtime.SessionSettings { CpuMemoryArena = false }, 1);
        Assert.False(options.EnableCpuMemArena);

        var a = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => arena.GetModel("affine").InferAsync(Vector(i))));
        var b = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => perRun.GetModel("affine").InferAsync(Vector(i))));
        Assert.Equal(a.Select(r => r["y"].Data.ToArray()), b.Select(r => r["y"].Data.ToArray()));
    }

    [Fact]
    public async Task LoneItem_LeavesAfterTheQueueDelay()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 8, "max_queue_delay_us": 150000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var result = await model.InferAsync(Vector(1));
        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started);

        Assert.Equal(1, result.BatchSize);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(150), $"left after {elapsed.TotalMilliseconds} ms, before the 150 ms delay");
        Assert.True(result.QueueTime >= TimeSpan.FromMilliseconds(150), $"queue time {result.QueueTime.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task PreferredBatchSize_LeavesAtOnceWithoutWaitingForTheDelay()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 8, "preferred_batch_sizes": [4], "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        // With a 30 s delay, only reaching the preferred size can let these go.
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => model.InferAsync(Vector(i)))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(results, r => Assert.Equal(4, r.BatchSize));
    }

    [Fact]
    public async Task BatchedResults_EqualEachItemRunAlone()
    {
        const int h = 12, w = 10, c = 3, k = 16;
        var onnx = TestModels.ConvEmbedder(h, w, c, k);
        var config = TestRepository.ImageConfig(h, w, c, k, """{ "max_batch_size": BATCH, "max_queue_delay_us": 200000 }""");
        using var batched = new TestRepository().Add("conv", config.Replace("BATCH", "16", StringComparison.Ordinal), onnx);
        using var single = new TestRepository().Add("conv", config.Replace("BATCH", "1", StringComparison.Ordinal), onnx);
        await using var batchedEngine = await batched.StartAsync();
        await using var singleEngine = await single.StartAsync();

        var rng = new Random(3);
        var images = Enumerable.Range(0, 16).Select(_ => new DenseInput(Enumerable.Range(0, h * w * c).Select(_ => (float)rng.NextDouble()).ToArray())).ToArray();
        var together = await Task.WhenAll(images.Select(i => batchedEngine.GetByRole(ModelRole.FaceEmbedder).InferAsync(i)));
        Assert.All(together, r => Assert.Equal(16, r.BatchSize));

        for (var i = 0; i < images.Length; i++)
        {
            var alone = await singleEngine.GetModel("conv").InferAsync(images[i]);
            Assert.Equal(1, alone.BatchSize);
            Assert.Equal([k], together[i]["embedding"].Shape);
            for (var j = 0; j < k; j++)
            {
                Assert.Equal(alone["embedding"].Data[j], together[i]["embedding"].Data[j], 5);
            }
        }

        // Different images give different embeddings: the scatter did not hand one item's slice to another.
        Assert.NotEqual(together[0]["embedding"].Data, together[1]["embedding"].Data);
    }

    [Fact]
    public async Task CancelledItem_IsDroppedBeforeCompute()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 3, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        using var cts = new CancellationTokenSource();
        var first = model.InferAsync(Vector(1));
        var cancelled = model.InferAsync(Vector(2), cancellationToken: cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        // Two more fill a batch of three live items; the cancelled one must not take a slot.
        var rest = await Task.WhenAll(first, model.InferAsync(Vector(3)), model.InferAsync(Vector(4))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(rest, r => Assert.Equal(3, r.BatchSize));
        Assert.Equal([3f, 5, 7, 9], rest[0]["y"].Data);
        Assert.Equal(1, model.Statistics.DroppedCancelled);
        Assert.Equal(3, model.Statistics.Items);
        Assert.Equal(1, model.Statistics.Batches);
    }

    [Fact]
    public async Task ExpiredItem_FailsWithDeadline_AndIsDroppedBeforeCompute()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 2, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        // The request's own deadline (100 ms) shortens the model's 60 s timeout.
        var e = await Assert.ThrowsAsync<DeadlineExceededException>(() => model.InferAsync(Vector(1), TimeSpan.FromMilliseconds(100)));
        Assert.Equal(TimeSpan.FromMilliseconds(100), e.Timeout);

        var rest = await Task.WhenAll(model.InferAsync(Vector(2)), model.InferAsync(Vector(3))).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.All(rest, r => Assert.Equal(2, r.BatchSize));
        Assert.Equal(1, model.Statistics.DroppedExpired);
        Assert.Equal(2, model.Statistics.Items);
    }

    [Fact]
    public async Task FullQueue_RejectsAtOnce_WithRetryPushback()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 8, "max_queue_delay_us": 30000000, "max_queue_size": 3, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        using var cts = new CancellationTokenSource();
        var queued = Enumerable.Range(0, 3).Select(i => model.InferAsync(Vector(i), cancellationToken: cts.Token)).ToArray();
        var rejected = model.InferAsync(Vector(9));

        // Rejected synchronously: the task is already faulted when the call returns.
        Assert.True(rejected.IsFaulted);
        var e = await Assert.ThrowsAsync<QueueFullException>(() => rejected);
        Assert.Equal(3, e.MaxQueueSize);
        Assert.True(e.RetryPushbackMs >= 1);
        Assert.Contains("max_queue_size 3", e.Message, StringComparison.Ordinal);
        Assert.Equal(1, model.Statistics.Rejected);
        Assert.All(queued, t => Assert.False(t.IsCompleted));
        await cts.CancelAsync();
    }

    [Fact]
    public async Task FailingRun_FailsOnlyItsBatch_AndRepeatedFailuresMarkTheInstanceUnhealthy()
    {
        using var repo = new TestRepository().Add("fragile", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 2, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.FailsOnLargeValues(Dim));
        await using var engine = await repo.StartAsync(new() { UnhealthyAfterFailures = 2, Session = new() { IntraOpThreads = 1 } });
        await engine.WarmUpAsync();
        var model = engine.GetModel("fragile");
        var changes = 0;
        engine.HealthChanged += (_, _) => Interlocked.Increment(ref changes);

        // FIFO: [good, good] then [bad, good] — the second batch fails, the first does not.
        var good1 = model.InferAsync(new DenseInput(new float[] { 1, 2, 3, 4 }));
        var good2 = model.InferAsync(new DenseInput(new float[] { 5, 6, 7, 8 }));
        var bad = model.InferAsync(new DenseInput(new float[] { 1, 2, 3, 500 }));
        var neighbour = model.InferAsync(new DenseInput(new float[] { 1, 1, 1, 1 }));

        Assert.Equal(new float[] { 2f, 4, 6, 8 }, (await good1)["y"].Data);
        Assert.Equal(new float[] { 10f, 12, 14, 16 }, (await good2)["y"].Data);
        var failure = await Assert.ThrowsAsync<InferenceFailedException>(() => bad);
        Assert.Equal(2, failure.BatchSize);
        Assert.Contains("fragile", failure.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<InferenceFailedException>(() => neighbour);
        Assert.True(engine.IsReady);

        // A second failed batch in a row: the instance reports unhealthy, and the engine is no longer ready.
        var more = new[] { model.InferAsync(new DenseInput(new float[] { -99, 0, 0, 0 })), model.InferAsync(new DenseInput(new float[] { 0, 0, 0, 0 })) };
        await Assert.ThrowsAsync<InferenceFailedException>(() => more[0]);
        // The worker fails the batch's callers first and marks the instance just after: wait for the mark.
        for (var i = 0; i < 100 && (Assert.Single(engine.Instances).Healthy || Volatile.Read(ref changes) == 0); i++)
        {
            await Task.Delay(20);
        }
        var health = Assert.Single(engine.Instances);
        Assert.False(health.Healthy);
        Assert.Equal(2, health.ConsecutiveFailures);
        Assert.NotNull(health.LastError);
        Assert.False(engine.IsReady);
        Assert.Equal(1, Volatile.Read(ref changes));

        // A successful batch brings it back.
        await Task.WhenAll(model.InferAsync(Vector(0)), model.InferAsync(Vector(1)));
        for (var i = 0; i < 100 && !Assert.Single(engine.Instances).Healthy; i++)
        {
            await Task.Delay(20);
        }
        Assert.True(Assert.Single(engine.Instances).Healthy);
        Assert.Equal(2, model.Statistics.FailedBatches);
    }

    [Fact]
    public async Task ImageItems_PackedOnSeveralThreads_KeepTheirSlots_AndABadOneFailsAlone()
    {
        // 48×48×3 items are images: the batch is packed in parallel, and the items behind the bad one move up a slot.
        const int h = 48, w = 48, c = 3, k = 16;
        var onnx = TestModels.ConvEmbedder(h, w, c, k);
        var config = TestRepository.ImageConfig(h, w, c, k, """{ "max_batch_size": BATCH, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""");
        using var parallel = new TestRepository().Add("conv", config.Replace("BATCH", "8", StringComparison.Ordinal), onnx);
        using var single = new TestRepository().Add("conv", config.Replace("BATCH", "1", StringComparison.Ordinal), onnx);
        await using var parallelEngine = await parallel.StartAsync(new() { Session = new() { IntraOpThreads = 1 }, PackingThreads = 4 });
        await using var singleEngine = await single.StartAsync(new() { Session = new() { IntraOpThreads = 1 }, PackingThreads = 1 });

        var rng = new Random(11);
        var images = Enumerable.Range(0, 8).Select(i => new DenseInput(
            Enumerable.Range(0, i == 3 ? (h * w * c) - 1 : h * w * c).Select(_ => (float)rng.NextDouble()).ToArray())).ToArray();
        var calls = images.Select(i => parallelEngine.GetModel("conv").InferAsync(i)).ToArray();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => calls[3]);
        Assert.Contains($"item has {(h * w * c) - 1} values", e.Message, StringComparison.Ordinal);
        foreach (var i in new[] { 0, 1, 2, 4, 5, 6, 7 })
        {
            var together = await calls[i];
            Assert.Equal(7, together.BatchSize);
            var alone = await singleEngine.GetModel("conv").InferAsync(images[i]);
            for (var j = 0; j < k; j++)
            {
                Assert.Equal(alone["embedding"].Data[j], together["embedding"].Data[j], 5);
            }
        }
    }

    [Fact]
    public async Task BadItemInput_FailsOnlyThatItem()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 2, "max_queue_delay_us": 30000000, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var model = engine.GetModel("affine");

        // Batch [wrongLength, fine]: the bad item fails at packing and the batch closes up to one.
        var wrongLength = model.InferAsync(new DenseInput(new float[] { 1, 2, 3 }));
        var fine = model.InferAsync(Vector(0));
        var next = new[] { model.InferAsync(Vector(1)), model.InferAsync(Vector(2)) };

        var e = await Assert.ThrowsAsync<ArgumentException>(() => wrongLength);
        Assert.Contains("item has 3 values; the model input takes 4 per item", e.Message, StringComparison.Ordinal);
        var result = await fine;
        Assert.Equal(new float[] { 1f, 3, 5, 7 }, result["y"].Data);
        Assert.Equal(1, result.BatchSize);
        Assert.All(await Task.WhenAll(next), r => Assert.Equal(2, r.BatchSize));
    }

    [Fact]
    public async Task Uint8Model_TakesByteItems()
    {
        using var repo = new TestRepository().Add("raw", """
            {
              "version": "1", "role": "person_global", "file": "model.onnx",
              "input": { "name": "x", "width": 2, "height": 2, "channels": 3, "dtype": "uint8" },
              "outputs": [{ "name": "y", "meaning": "embedding", "dim": 12 }],
              "batching": { "max_batch_size": 4, "max_queue_delay_us": 0 }
            }
            """, TestModels.Uint8Passthrough(2, 2, 3));
        await using var engine = await repo.StartAsync();
        var model = engine.GetByRole(ModelRole.PersonGlobal);

        var bytes = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
        var result = await model.InferAsync(new DenseByteInput(bytes));
        Assert.Equal(bytes.Select(b => (float)b), result["y"].Data);
        await Assert.ThrowsAsync<ArgumentException>(() => model.InferAsync(new DenseInput(new float[12])));
    }

    [Fact]
    public async Task WarmUp_RunsAMaxSizeBatchOnEveryInstance_BeforeReadiness()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim,
            """{ "max_batch_size": 16, "max_queue_delay_us": 1000 }""",
            """[{ "name": "y", "meaning": "embedding" }]""", instances: """[{ "device": "cpu", "count": 2 }]"""), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        var readyWhenRaised = new List<bool>();
        engine.HealthChanged += (_, _) => readyWhenRaised.Add(engine.IsReady);

        Assert.False(engine.IsReady);
        Assert.Equal(2, engine.Instances.Count);
        Assert.All(engine.Instances, i => Assert.False(i.WarmedUp));
        Assert.Null(engine.GetModel("affine").Estimator.Estimate(16));

        await engine.WarmUpAsync();

        Assert.True(engine.IsReady);
        Assert.All(engine.Instances, i => Assert.True(i.WarmedUp));
        Assert.Equal(["cpu/0", "cpu/1"], engine.Instances.Select(i => i.Instance));
        Assert.NotNull(engine.GetModel("affine").Estimator.Estimate(16)); // t(max batch) learned from the warm-up run
        Assert.Equal([true], readyWhenRaised);
        Assert.Equal(0, engine.GetModel("affine").Statistics.Items); // warm-up is not traffic
    }

    [Fact]
    public async Task OnnxFile_NotMatchingConfig_FailsStartNamingTheField()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim, "{}",
            """[{ "name": "embedding", "meaning": "embedding" }]"""), TestModels.Affine(Dim));
        var e = await Assert.ThrowsAsync<ModelConfigException>(() => repo.StartAsync());
        Assert.Equal("outputs[0].name", e.Field);
        Assert.Contains("\"embedding\" is not an output of model.onnx (its outputs: y, sum)", e.Message, StringComparison.Ordinal);

        using var wrongDim = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim + 1, "{}"), TestModels.Affine(Dim));
        var e2 = await Assert.ThrowsAsync<ModelConfigException>(() => wrongDim.StartAsync());
        Assert.Equal("input", e2.Field);
        Assert.Contains("describes [batch,5] but model.onnx input \"x\" has shape [?,4]", e2.Message, StringComparison.Ordinal);
        Assert.StartsWith(wrongDim.ConfigPath("affine"), e2.Message, StringComparison.Ordinal);

        using var missing = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim, "{}"));
        var e3 = await Assert.ThrowsAsync<ModelConfigException>(() => missing.StartAsync());
        Assert.Equal("file", e3.Field);
    }
}
