using System.Diagnostics;
using MatchService.Inference.Batching;
using MatchService.Inference.Runtime;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.Inference.Telemetry;

namespace MatchService.Inference.Engine;

/// <summary>
/// One model as the pipelines see it: its config (preprocessing contract, outputs, metric) and
/// <see cref="InferAsync(IBatchInput, TimeSpan?, CancellationToken)"/>, which queues an item for the next batch.
/// </summary>
public sealed class ModelRunner : IWorkerAvailability
{
    private readonly List<ModelInstance> _instances = [];
    private readonly Action _healthChanged;

    internal ModelRunner(ModelConfig config, InferenceInstruments instruments, Action healthChanged)
    {
        Config = config;
        Instruments = instruments;
        _healthChanged = healthChanged;
        Estimator = new BatchTimeEstimator(config.Batching.MaxBatchSize);
        Batcher = new DynamicBatcher(new BatchPolicy(config.Batching, Estimator), OnDrop, this);
        instruments.ObservePending(config.Name, () => Batcher.Pending);
    }

    /// <summary>The validated config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>Running totals.</summary>
    public ModelStatistics Statistics { get; } = new();

    /// <summary>Items waiting now.</summary>
    public int Pending => Batcher.Pending;

    /// <summary>The learned t(batch size).</summary>
    public BatchTimeEstimator Estimator { get; }

    internal DynamicBatcher Batcher { get; }

    internal InferenceInstruments Instruments { get; }

    internal IReadOnlyList<ModelInstance> Instances => _instances;

    /// <summary>Queues one float32 item and returns its outputs once its batch has run.</summary>
    /// <param name="input">Writes the item into its batch slot.</param>
    /// <param name="timeout">The call's remaining deadline: the item's deadline, longer or shorter than the model's
    /// <c>timeout_ms</c>, which applies only to calls without one (null).</param>
    /// <param name="cancellationToken">Cancels the wait; a cancelled item is dropped before compute.</param>
    /// <exception cref="QueueFullException">At once, when the queue is full.</exception>
    /// <exception cref="DeadlineUnreachableException">At once, when the work queued ahead would make it finish after
    /// its deadline.</exception>
    /// <exception cref="DeadlineExceededException">The deadline passed before the item ran.</exception>
    /// <exception cref="InferenceFailedException">The item's batch failed.</exception>
    public Task<InferenceResult> InferAsync(IBatchInput input, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Config.Input.DType == TensorElementType.Float32
            ? Submit(input, timeout, cancellationToken)
            : Task.FromException<InferenceResult>(new ArgumentException($"model {Config.Name} takes uint8 input: pass an {nameof(IByteBatchInput)}"));
    }

    /// <summary>Queues one uint8 item (raw 0–255); see <see cref="InferAsync(IBatchInput, TimeSpan?, CancellationToken)"/>.</summary>
    public Task<InferenceResult> InferAsync(IByteBatchInput input, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Config.Input.DType == TensorElementType.UInt8
            ? Submit(input, timeout, cancellationToken)
            : Task.FromException<InferenceResult>(new ArgumentException($"model {Config.Name} takes float32 input: pass an {nameof(IBatchInput)}"));
    }

    /// <summary>Suggested retry pushback: the estimated time to drain what is queued.</summary>
    public int RetryPushbackMs()
    {
        var max = Config.Batching.MaxBatchSize;
        var perBatch = Estimator.Estimate(max) ?? (Config.Batching.MaxQueueDelayUs / 1e6) + 0.001;
        var batches = Math.Ceiling((double)Batcher.Pending / max) / Math.Max(1, _instances.Count);
        return (int)Math.Clamp(Math.Ceiling(batches * perBatch * 1000), 1, 60_000);
    }

    internal void Add(ModelInstance instance) => _instances.Add(instance);

    internal void OnHealthChanged() => _healthChanged();

    private Task<InferenceResult> Submit(object input, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<InferenceResult>(cancellationToken);
        }

        var limit = Limit(timeout);
        var now = Stopwatch.GetTimestamp();
        var item = new PendingItem(input, now, now + (long)(limit.TotalSeconds * Stopwatch.Frequency), cancellationToken);
        switch (Batcher.TryEnqueue(item, out var refusal))
        {
            case EnqueueOutcome.QueueFull:
                return Refuse(new QueueFullException(Config.Name, Config.Batching.MaxQueueSize, RetryPushbackMs()), "queue_full");
            case EnqueueOutcome.DeadlineUnreachable:
                return Refuse(Unreachable(refusal, now, limit), "deadline");
        }

        return AwaitAsync(item, limit, cancellationToken);
    }

    /// <summary>The item's time: the caller's deadline, or timeout_ms only for calls that bring none.</summary>
    private TimeSpan Limit(TimeSpan? timeout) =>
        timeout is { } t ? (t > TimeSpan.Zero ? t : TimeSpan.Zero) : TimeSpan.FromMilliseconds(Config.Batching.TimeoutMs);

    private DeadlineUnreachableException Unreachable(AdmissionRefusal refusal, long now, TimeSpan limit)
    {
        // Come back when the work queued ahead now is done: not merely when the same deadline would just be met
        // (finish − deadline), which with many refused callers brings them all back at once into the same queue.
        var finish = Stopwatch.GetElapsedTime(now, refusal.EstimatedFinish);
        var pushback = (int)Math.Clamp(Math.Ceiling(finish.TotalMilliseconds), 1, 60_000);
        return new DeadlineUnreachableException(Config.Name, refusal.ItemsAhead, finish, limit, pushback);
    }

    private Task<InferenceResult> Refuse(ModelOverloadedException refusal, string reason)
    {
        Statistics.AddRejection();
        Instruments.Rejected.WithLabels(Config.Name, reason).Inc();
        return Task.FromException<InferenceResult>(refusal);
    }

    int IWorkerAvailability.Count => _instances.Count;

    long IWorkerAvailability.FirstFreeAt(long now)
    {
        var first = long.MaxValue;
        foreach (var instance in _instances)
        {
            first = Math.Min(first, instance.ExpectedFreeAt(now));
        }

        return first == long.MaxValue ? now : first;
    }

    private async Task<InferenceResult> AwaitAsync(PendingItem item, TimeSpan limit, CancellationToken cancellationToken)
    {
        try
        {
            return await item.Completion.Task.WaitAsync(limit, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!item.Completion.Task.IsCompleted)
        {
            // The item stays queued until the batcher sweeps it (counted as expired, never run).
            item.MarkTimedOut();
            throw new DeadlineExceededException(Config.Name, limit);
        }
    }

    private void OnDrop(DropReason reason, PendingItem item)
    {
        Statistics.AddDrop(reason);
        Instruments.Dropped.WithLabels(Config.Name, reason == DropReason.Cancelled ? "cancelled" : "expired").Inc();
        // Dropped by a worker (lowered: ComputePriority) or by a caller queueing its item: either way completed from
        // the request path's priority.
        if (reason == DropReason.Cancelled)
        {
            var token = item.CancellationToken.IsCancellationRequested ? item.CancellationToken : new CancellationToken(true);
            ComputePriority.OnRequestPath(() => item.Completion.TrySetCanceled(token));
        }
        else
        {
            var error = new DeadlineExceededException(Config.Name, Stopwatch.GetElapsedTime(item.Arrival, item.Deadline));
            ComputePriority.OnRequestPath(() => item.Completion.TrySetException(error));
        }
    }
}
