using System.Diagnostics;
using MatchService.Inference.Batching;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.Inference.Health;
using MatchService.Inference.Runtime;
using Microsoft.Extensions.Logging;

namespace MatchService.Inference.Engine;

/// <summary>
/// One session of a model on one device and the worker that feeds it: takes a batch from the model's batcher, packs
/// each item into its slot of this worker's reused batch buffer, runs, and scatters each item's output slices.
/// </summary>
internal sealed class ModelInstance : IDisposable
{
    private readonly ModelRunner _model;
    private readonly ModelSession _session;
    private readonly ILogger _logger;
    private readonly int _unhealthyAfter;
    private readonly float[]? _floatBuffer;
    private readonly byte[]? _byteBuffer;
    private readonly string _device;
    private readonly ParallelOptions _packing;
    private readonly Exception?[] _packErrors;
    private int _consecutiveFailures;
    private string? _lastError;
    private volatile bool _healthy = true;
    private volatile bool _warmedUp;

    // The batch running now (start timestamp, 0 when the worker waits; its size), for admission control's estimate.
    private long _runningSince;
    private int _runningSize;

    // Warm-up runs on another thread while the worker may already have a batch (calls that came before SERVING):
    // both use the one session buffer.
    private readonly Lock _buffer = new();

    /// <summary>Smallest item (in values) worth packing on several threads: image tensors, not embedding vectors.</summary>
    private const int ParallelPackMinElements = 4096;

    public ModelInstance(ModelRunner model, ModelSession session, string id, int unhealthyAfter, int packingThreads, TaskScheduler packingScheduler, ILogger logger)
    {
        _model = model;
        _session = session;
        Id = id;
        _unhealthyAfter = unhealthyAfter;
        _logger = logger;
        var input = model.Config.Input;

        // The batch buffer is allocated once at the largest batch and reused for every run of this worker.
        var length = model.Config.Batching.MaxBatchSize * input.ElementsPerItem;
        if (input.DType == TensorElementType.UInt8)
        {
            _byteBuffer = new byte[length];
        }
        else
        {
            _floatBuffer = new float[length];
        }

        _device = session.Device.ToString();
        var packers = input.ElementsPerItem < ParallelPackMinElements ? 1 : packingThreads > 0 ? packingThreads : Environment.ProcessorCount;
        _packing = new ParallelOptions { MaxDegreeOfParallelism = packers, TaskScheduler = packingScheduler };
        _packErrors = new Exception?[model.Config.Batching.MaxBatchSize];
    }

    public string Id { get; }

    public InstanceHealth Health => new(_model.Config.Name, Id, _session.Device.ToString(), _session.Provider, _warmedUp, _healthy, Volatile.Read(ref _consecutiveFailures), _lastError);

    public bool IsHealthy => _healthy;

    /// <summary>
    /// When this instance is expected to take its next batch: <paramref name="now"/> when it waits for one, else the
    /// running batch's start plus its learned t(size) (now, when that is already past).
    /// </summary>
    public long ExpectedFreeAt(long now)
    {
        var since = Volatile.Read(ref _runningSince);
        if (since == 0 || _model.Estimator.Estimate(Volatile.Read(ref _runningSize)) is not { } t)
        {
            return now;
        }

        return Math.Max(now, since + (long)(t * Stopwatch.Frequency));
    }

    /// <summary>Runs one max-size batch of zeros so that the first real request does not pay for lazy initialisation.</summary>
    public void WarmUp()
    {
        var n = _model.Config.Batching.MaxBatchSize;
        var started = Stopwatch.GetTimestamp();
        lock (_buffer)
        {
            using (RunPacked(n))
            {
            }
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        _model.Estimator.Observe(n, elapsed.TotalSeconds);
        _warmedUp = true;
        InferenceLog.WarmedUp(_logger, _model.Config.Name, Id, n, elapsed.TotalMilliseconds);
    }

    /// <summary>The worker loop, on its own thread: until <paramref name="stopping"/> fires.</summary>
    public void Run(CancellationToken stopping)
    {
        var batch = new List<PendingItem>(_model.Config.Batching.MaxBatchSize);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                _model.Batcher.NextBatch(batch, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug in batch formation must not end the worker: the model would silently stop serving.
                InferenceLog.WorkerError(_logger, e, _model.Config.Name, Id);
                FailAll([.. batch], new InferenceFailedException(_model.Config.Name, Id, batch.Count, e));
                stopping.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(10));
                continue;
            }

            Volatile.Write(ref _runningSize, batch.Count);
            Volatile.Write(ref _runningSince, Stopwatch.GetTimestamp());
            try
            {
                lock (_buffer)
                {
                    Execute(batch);
                }
            }
            finally
            {
                Volatile.Write(ref _runningSince, 0);
            }
        }
    }

    private void Execute(List<PendingItem> batch)
    {
        var live = Pack(batch);
        if (live.Count == 0)
        {
            return;
        }

        var instruments = _model.Instruments;
        var model = _model.Config.Name;
        var queueTime = instruments.QueueTime.WithLabels(model);
        var computeStart = Stopwatch.GetTimestamp();
        foreach (var item in live)
        {
            queueTime.Observe(Stopwatch.GetElapsedTime(item.Arrival, computeStart).TotalSeconds);
        }

        try
        {
            using var outputs = RunPacked(live.Count);
            var compute = Stopwatch.GetElapsedTime(computeStart);
            Scatter(live, outputs, computeStart, compute);
            _model.Estimator.Observe(live.Count, compute.TotalSeconds);
            instruments.ComputeTime.WithLabels(model, _device).Observe(compute.TotalSeconds);
            Succeeded();
            _model.Statistics.AddBatch(live.Count, failed: false);
        }
        catch (Exception e)
        {
            instruments.Failed.WithLabels(model, _device).Inc();
            _model.Statistics.AddBatch(live.Count, failed: true);
            FailAll([.. live], new InferenceFailedException(_model.Config.Name, Id, live.Count, e));

            InferenceLog.BatchFailed(_logger, e, _model.Config.Name, Id, live.Count);
            Failed(e);
        }

        instruments.Items.WithLabels(model).Inc(live.Count);
        instruments.Batches.WithLabels(model).Inc();
        instruments.BatchSize.WithLabels(model).Observe(live.Count);
    }

    /// <summary>
    /// Writes each item into its slot (on several threads when they are images); an item whose input throws fails
    /// alone and the items behind it move up a slot.
    /// </summary>
    private List<PendingItem> Pack(List<PendingItem> batch)
    {
        var per = _model.Config.Input.ElementsPerItem;
        var errors = _packErrors;
        if (_packing.MaxDegreeOfParallelism > 1 && batch.Count > 1)
        {
            Parallel.For(0, batch.Count, _packing, i => errors[i] = TryWrite(batch[i].Input, i * per, per));
        }
        else
        {
            for (var i = 0; i < batch.Count; i++)
            {
                errors[i] = TryWrite(batch[i].Input, i * per, per);
            }
        }

        var live = new List<PendingItem>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } e)
            {
                errors[i] = null;
                FailAll([batch[i]], new ArgumentException($"model {_model.Config.Name}: item input could not be packed: {e.Message}", e));
                continue;
            }

            if (live.Count != i)
            {
                MoveSlot(i * per, live.Count * per, per);
            }

            live.Add(batch[i]);
        }

        return live;
    }

    private Exception? TryWrite(object input, int offset, int per)
    {
        try
        {
            switch (input)
            {
                case IBatchInput f when _floatBuffer is not null:
                    f.WriteTo(_floatBuffer.AsSpan(offset, per));
                    return null;
                case IByteBatchInput b when _byteBuffer is not null:
                    b.WriteTo(_byteBuffer.AsSpan(offset, per));
                    return null;
                default:
                    throw new ArgumentException($"model {_model.Config.Name} takes {ModelConfigFile.Word(_model.Config.Input.DType)} input; got {input.GetType().Name}");
            }
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private void MoveSlot(int from, int to, int per)
    {
        if (_floatBuffer is not null)
        {
            _floatBuffer.AsSpan(from, per).CopyTo(_floatBuffer.AsSpan(to, per));
        }
        else
        {
            _byteBuffer.AsSpan(from, per).CopyTo(_byteBuffer.AsSpan(to, per));
        }
    }

    private BatchOutputs RunPacked(int count)
    {
        var per = _model.Config.Input.ElementsPerItem;
        return _floatBuffer is not null
            ? _session.Run(_floatBuffer.AsMemory(0, count * per), count)
            : _session.Run(_byteBuffer!.AsMemory(0, count * per), count);
    }

    private void Scatter(List<PendingItem> live, BatchOutputs outputs, long computeStart, TimeSpan compute)
    {
        var config = _model.Config;
        var itemShapes = new int[outputs.Count][];
        var itemLengths = new int[outputs.Count];
        for (var o = 0; o < outputs.Count; o++)
        {
            itemShapes[o] = outputs.Shapes[o].Skip(1).Select(d => (int)d).ToArray();
            itemLengths[o] = itemShapes[o].Aggregate(1, (a, b) => a * b);
        }

        var results = new InferenceResult[live.Count];
        for (var i = 0; i < live.Count; i++)
        {
            var tensors = new OutputTensor[outputs.Count];
            for (var o = 0; o < outputs.Count; o++)
            {
                var slice = outputs.Data(o).Slice(i * itemLengths[o], itemLengths[o]).ToArray();
                tensors[o] = new OutputTensor(config.Outputs[o].Name, slice, itemShapes[o]);
            }

            results[i] = new InferenceResult(config.Name, config.Version, Id, live.Count,
                Stopwatch.GetElapsedTime(live[i].Arrival, computeStart), compute, tensors);
        }

        PendingItem[] items = [.. live];
        ComputePriority.OnRequestPath(() =>
        {
            for (var i = 0; i < items.Length; i++)
            {
                items[i].Completion.TrySetResult(results[i]);
            }
        });
    }

    /// <summary>Fails <paramref name="items"/> from the request path's priority (this worker is lowered: ComputePriority).</summary>
    private static void FailAll(PendingItem[] items, Exception error) =>
        ComputePriority.OnRequestPath(() =>
        {
            foreach (var item in items)
            {
                item.Completion.TrySetException(error);
            }
        });

    private void Succeeded()
    {
        Volatile.Write(ref _consecutiveFailures, 0);
        if (!_healthy)
        {
            _healthy = true;
            InferenceLog.InstanceRecovered(_logger, _model.Config.Name, Id);
            _model.OnHealthChanged();
        }
    }

    private void Failed(Exception e)
    {
        _lastError = e.Message;
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        if (failures >= _unhealthyAfter && _healthy)
        {
            _healthy = false;
            InferenceLog.InstanceUnhealthy(_logger, _model.Config.Name, Id, failures);
            _model.OnHealthChanged();
        }
    }

    public void Dispose() => _session.Dispose();
}
