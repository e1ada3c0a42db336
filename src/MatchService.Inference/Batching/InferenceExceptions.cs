namespace MatchService.Inference.Batching;

/// <summary>
/// The model cannot take the item now and says so at once, instead of letting it wait and fail late. The RPC layer
/// maps every subtype to RESOURCE_EXHAUSTED with a <c>grpc-retry-pushback-ms</c> trailer of <see cref="RetryPushbackMs"/>.
/// </summary>
public abstract class ModelOverloadedException(string model, int retryPushbackMs, string message) : Exception(message)
{
    /// <summary>Model that refused the item.</summary>
    public string Model { get; } = model;

    /// <summary>Suggested wait before retrying, in milliseconds (at least 1).</summary>
    public int RetryPushbackMs { get; } = retryPushbackMs;
}

/// <summary>The model's queue is full: the caller is rejected at once.</summary>
public sealed class QueueFullException(string model, int maxQueueSize, int retryPushbackMs)
    : ModelOverloadedException(model, retryPushbackMs,
        $"model {model}: queue is full ({maxQueueSize} items pending, max_queue_size {maxQueueSize}); retry in {retryPushbackMs} ms")
{
    /// <summary>The configured limit.</summary>
    public int MaxQueueSize { get; } = maxQueueSize;
}

/// <summary>
/// Admission control: with the items queued ahead and the learned t(batch), the item would finish after its deadline,
/// so it is refused at once rather than computed for a caller that will have given up. The pushback is the estimated
/// time until the work queued ahead of it now is done.
/// </summary>
public sealed class DeadlineUnreachableException(string model, int itemsAhead, TimeSpan estimatedFinish, TimeSpan deadline, int retryPushbackMs)
    : ModelOverloadedException(model, retryPushbackMs,
        $"model {model}: refused at once: {itemsAhead} items ahead would finish it in about {estimatedFinish.TotalMilliseconds:F0} ms, "
        + $"beyond the call's deadline of {deadline.TotalMilliseconds:F0} ms; retry in {retryPushbackMs} ms")
{
    /// <summary>Live items queued ahead of it when it arrived.</summary>
    public int ItemsAhead { get; } = itemsAhead;

    /// <summary>When it would have finished, from its arrival.</summary>
    public TimeSpan EstimatedFinish { get; } = estimatedFinish;

    /// <summary>The time it had, from its arrival.</summary>
    public TimeSpan Deadline { get; } = deadline;
}

/// <summary>
/// The item's deadline passed before it ran: the call's own deadline, or the model's <c>timeout_ms</c> for a call
/// without one.
/// </summary>
public sealed class DeadlineExceededException(string model, TimeSpan timeout)
    : TimeoutException($"model {model}: the item was not run within its deadline of {timeout.TotalMilliseconds:F0} ms")
{
    /// <summary>Model.</summary>
    public string Model { get; } = model;

    /// <summary>The deadline that applied.</summary>
    public TimeSpan Timeout { get; } = timeout;
}

/// <summary>The batch that held this item failed to run (only the items of that batch get it).</summary>
public sealed class InferenceFailedException(string model, string instance, int batchSize, Exception inner)
    : Exception($"model {model} on {instance}: batch of {batchSize} failed: {inner.Message}", inner)
{
    /// <summary>Model.</summary>
    public string Model { get; } = model;

    /// <summary>Instance that ran the batch.</summary>
    public string Instance { get; } = instance;

    /// <summary>Items in the failed batch.</summary>
    public int BatchSize { get; } = batchSize;
}
