using System.Diagnostics;
using MatchService.Inference.Configuration;

namespace MatchService.Inference.Batching;

/// <summary>
/// One model's bounded queue and batch formation. Callers <see cref="TryEnqueue"/>; each instance's worker thread calls
/// <see cref="NextBatch"/>, which lets one worker at a time gather the oldest items into a batch while the others
/// compute. Cancelled and expired items are dropped here, before any compute.
/// </summary>
/// <remarks>
/// Workers block instead of awaiting: they block in ONNX Runtime anyway, and .NET timers (Task.Delay) tick with the
/// kernel's coarse clock, measured at 4 ms on Linux for a 2 ms delay, which would double <c>max_queue_delay_us</c>.
/// A monitor wait is precise to a fraction of a millisecond; the last sub-millisecond is yielded away.
/// </remarks>
internal sealed class DynamicBatcher : IDisposable
{
    private static readonly long OneMillisecond = Stopwatch.Frequency / 1000;

    private readonly object _lock = new();
    private readonly Queue<PendingItem> _queue = new();
    private readonly SemaphoreSlim _formation = new(1, 1);
    private readonly BatchPolicy _policy;
    private readonly Action<DropReason, PendingItem> _onDrop;
    private readonly AdmissionControl? _admission;
    private long _lastArrival;

    /// <param name="policy">When batches leave and how big they are.</param>
    /// <param name="onDrop">Called (under the queue's lock) for each item dropped before compute.</param>
    /// <param name="workers">The model's instances; with them, items that cannot meet their deadline are refused on
    /// arrival (admission control). Null admits every item while the queue has room.</param>
    public DynamicBatcher(BatchPolicy policy, Action<DropReason, PendingItem> onDrop, IWorkerAvailability? workers = null)
    {
        _policy = policy;
        _onDrop = onDrop;
        _admission = workers is null ? null : new AdmissionControl(policy, workers);
    }

    public BatchingSpec Spec => _policy.Spec;

    /// <summary>Items waiting (including cancelled ones not yet swept).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Adds an item, or refuses it at once: when the queue is full, or when admission control estimates that the
    /// items ahead would make it finish after its deadline (then <paramref name="refusal"/> says when and behind what).
    /// Dead items (cancelled, expired) are swept before either refusal, so they never cost a live caller its place.
    /// </summary>
    public EnqueueOutcome TryEnqueue(PendingItem item, out AdmissionRefusal refusal)
    {
        refusal = default;
        lock (_lock)
        {
            if (_queue.Count >= _policy.Spec.MaxQueueSize && SweepAll(item.Arrival) == 0)
            {
                return EnqueueOutcome.QueueFull;
            }

            var late = Unreachable(item.Arrival, item.Deadline);
            if (late is not null && SweepAll(item.Arrival) > 0)
            {
                late = Unreachable(item.Arrival, item.Deadline);
            }

            if (late is { } refused)
            {
                refusal = refused;
                return EnqueueOutcome.DeadlineUnreachable;
            }

            _queue.Enqueue(item);
            _lastArrival = item.Arrival;
            Monitor.Pulse(_lock); // wakes the forming worker, if one waits
        }

        return EnqueueOutcome.Queued;
    }

    private long OldestArrival => _queue.Count > 0 ? _queue.Peek().Arrival : 0;

    private AdmissionRefusal? Unreachable(long arrival, long deadline) =>
        _admission?.EstimatedFinish(_queue.Count, OldestArrival, arrival) is { } finish && finish > deadline
            ? new AdmissionRefusal(_queue.Count, finish)
            : null;

    /// <summary>
    /// Blocks until the next batch is due per the policy and moves its live items into <paramref name="batch"/>.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public void NextBatch(List<PendingItem> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        _formation.Wait(cancellationToken);
        try
        {
            using var wake = cancellationToken.Register(static s => ((DynamicBatcher)s!).WakeFormingWorker(), this);
            lock (_lock)
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var now = Stopwatch.GetTimestamp();
                    SweepHead(now);
                    if (_queue.Count >= _policy.DispatchAtOnce)
                    {
                        // Dead items further back must not count towards a full batch and send a short one early.
                        SweepAll(now);
                    }

                    if (_queue.Count == 0)
                    {
                        Monitor.Wait(_lock);
                        continue;
                    }

                    var dispatchAt = _policy.DispatchAt(_queue.Count, _queue.Peek().Arrival, _lastArrival);
                    if (dispatchAt <= now)
                    {
                        Take(_policy.TakeCount(_queue.Count), batch, now);
                        if (batch.Count > 0)
                        {
                            return;
                        }

                        continue;
                    }

                    WaitUntil(dispatchAt - now);
                }
            }
        }
        finally
        {
            _formation.Release();
        }
    }

    /// <summary>
    /// Waits (holding the lock, which the wait releases) for an arrival or until <paramref name="ticks"/> pass: whole
    /// milliseconds on the monitor, the last fraction by yielding, so that a batch leaves on time, not on the next tick.
    /// </summary>
    private void WaitUntil(long ticks)
    {
        if (ticks >= OneMillisecond)
        {
            Monitor.Wait(_lock, (int)(ticks / OneMillisecond));
            return;
        }

        Monitor.Exit(_lock);
        try
        {
            Thread.Yield();
        }
        finally
        {
            Monitor.Enter(_lock);
        }
    }

    private void WakeFormingWorker()
    {
        lock (_lock)
        {
            Monitor.PulseAll(_lock);
        }
    }

    /// <summary>Fails every waiting item (shutdown).</summary>
    public void FailAll(Exception error)
    {
        PendingItem[] items;
        lock (_lock)
        {
            items = [.. _queue];
            _queue.Clear();
        }

        foreach (var item in items)
        {
            item.Completion.TrySetException(error);
        }
    }

    /// <summary>Drops dead items at the head so that the oldest pending item is a live one.</summary>
    private void SweepHead(long now)
    {
        while (_queue.Count > 0 && _queue.Peek().DropReasonAt(now) is { } reason)
        {
            _onDrop(reason, _queue.Dequeue());
        }
    }

    /// <summary>Drops every dead item (only when the queue is full: cancelled items must not hold slots). Returns how many.</summary>
    private int SweepAll(long now)
    {
        var before = _queue.Count;
        for (var i = 0; i < before; i++)
        {
            var item = _queue.Dequeue();
            if (item.DropReasonAt(now) is { } reason)
            {
                _onDrop(reason, item);
            }
            else
            {
                _queue.Enqueue(item);
            }
        }

        return before - _queue.Count;
    }

    private void Take(int count, List<PendingItem> batch, long now)
    {
        while (batch.Count < count && _queue.Count > 0)
        {
            var item = _queue.Dequeue();
            if (item.DropReasonAt(now) is { } reason)
            {
                _onDrop(reason, item);
            }
            else
            {
                batch.Add(item);
            }
        }
    }

    public void Dispose() => _formation.Dispose();
}

/// <summary>What <see cref="DynamicBatcher.TryEnqueue"/> did with an item.</summary>
internal enum EnqueueOutcome
{
    /// <summary>Queued for a batch.</summary>
    Queued,

    /// <summary>Refused: <c>max_queue_size</c> live items are pending.</summary>
    QueueFull,

    /// <summary>Refused: it would finish after its deadline.</summary>
    DeadlineUnreachable,
}

/// <summary>Why admission control refused an item.</summary>
/// <param name="ItemsAhead">Live items queued ahead of it.</param>
/// <param name="EstimatedFinish">Stopwatch timestamp at which it would have finished.</param>
internal readonly record struct AdmissionRefusal(int ItemsAhead, long EstimatedFinish);
