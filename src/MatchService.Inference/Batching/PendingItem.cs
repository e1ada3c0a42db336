using System.Diagnostics;

namespace MatchService.Inference.Batching;

/// <summary>An item waiting in a model's queue.</summary>
internal sealed class PendingItem
{
    public PendingItem(object input, long arrival, long deadline, CancellationToken cancellationToken)
    {
        Input = input;
        Arrival = arrival;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    /// <summary><see cref="IBatchInput"/> or <see cref="IByteBatchInput"/>.</summary>
    public object Input { get; }

    /// <summary>Stopwatch timestamp of submission.</summary>
    public long Arrival { get; }

    /// <summary>Stopwatch timestamp after which the item is dropped as expired.</summary>
    public long Deadline { get; }

    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<InferenceResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private volatile bool _timedOut;

    /// <summary>
    /// The caller's wait timed out and it was told DEADLINE_EXCEEDED. Timers tick in whole milliseconds, so this can
    /// happen a moment before <see cref="Deadline"/> by the stopwatch; the item must never run after that.
    /// </summary>
    public void MarkTimedOut() => _timedOut = true;

    /// <summary>Why the item must not run (cancelled, expired), or null when it still should.</summary>
    public DropReason? DropReasonAt(long now) =>
        CancellationToken.IsCancellationRequested || Completion.Task.IsCompleted ? DropReason.Cancelled
        : _timedOut || now > Deadline ? DropReason.Expired
        : null;

    public static long Now => Stopwatch.GetTimestamp();
}

/// <summary>Why an item left the queue without running.</summary>
public enum DropReason
{
    /// <summary>The caller cancelled (or gave up).</summary>
    Cancelled,

    /// <summary>Its deadline passed while it waited.</summary>
    Expired,
}
