namespace MatchService.Inference.Batching;

/// <summary>
/// The model's queue is full: the caller is rejected at once. The RPC layer maps it to RESOURCE_EXHAUSTED with a
/// <c>grpc-retry-pushback-ms</c> trailer of <see cref="RetryPushbackMs"/>.
/// </summary>
public sealed class QueueFullException(string model, int maxQueueSize, int retryPushbackMs)
    : Exception($"model {model}: queue is full ({maxQueueSize} items pending, max_queue_size {maxQueueSize}); retry in {retryPushbackMs} ms")
{
    /// <summary>Model whose queue is full.</summary>
    public string Model { get; } = model;

    /// <summary>The configured limit.</summary>
    public int MaxQueueSize { get; } = maxQueueSize;

    /// <summary>Suggested wait before retrying: the estimated time to drain the queue.</summary>
    public int RetryPushbackMs { get; } = retryPushbackMs;
}

/// <summary>The item's deadline (the model's timeout_ms or the request's shorter deadline) passed before it ran.</summary>
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
