using System.Diagnostics;
using MatchService.Inference.Configuration;

namespace MatchService.Inference.Batching;

/// <summary>
/// One model's bounded queue and batch formation. Callers <see cref="TryEnqueue"/>; each instance's worker calls
/// <see cref="NextBatchAsync"/>, which lets one worker at a time gather the oldest items into a batch while the others
/// compute. Cancelled and expired items are dropped here, before any compute.
/// </summary>
internal sealed class DynamicBatcher : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Queue<PendingItem> _queue = new();
    private readonly SemaphoreSlim _formation = new(1, 1);
    private readonly BatchPolicy _policy;
    private readonly Action<DropReason, PendingItem> _onDrop;
    private TaskCompletionSource _arrived = NewSignal();
    private long _lastArrival;

    public DynamicBatcher(BatchPolicy policy, Action<DropReason, PendingItem> onDrop)
    {
        _policy = policy;
        _onDrop = onDrop;
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

    /// <summary>Adds an item; false when the queue is full (the caller is rejected at once).</summary>
    public bool TryEnqueue(PendingItem item)
    {
        TaskCompletionSource signal;
        lock (_lock)
        {
            if (_queue.Count >= _policy.Spec.MaxQueueSize && SweepAll(item.Arrival) == 0)
            {
                return false;
            }

            _queue.Enqueue(item);
            _lastArrival = item.Arrival;
            signal = _arrived;
            _arrived = NewSignal();
        }

        signal.TrySetResult();
        return true;
    }

    /// <summary>Waits for the next batch per the policy and moves its live items into <paramref name="batch"/>.</summary>
    public async Task NextBatchAsync(List<PendingItem> batch, CancellationToken cancellationToken)
    {
        batch.Clear();
        await _formation.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Task? delay = null;
            var delayUntil = long.MaxValue;
            while (true)
            {
                Task arrived;
                long dispatchAt;
                lock (_lock)
                {
                    var now = Stopwatch.GetTimestamp();
                    SweepHead(now);
                    arrived = _arrived.Task;
                    if (_queue.Count == 0)
                    {
                        dispatchAt = long.MaxValue;
                    }
                    else
                    {
                        dispatchAt = _policy.DispatchAt(_queue.Count, _queue.Peek().Arrival, _lastArrival);
                        if (dispatchAt <= now)
                        {
                            Take(_policy.TakeCount(_queue.Count), batch, now);
                            if (batch.Count > 0)
                            {
                                return;
                            }

                            continue;
                        }
                    }
                }

                if (dispatchAt != long.MaxValue && (delay is null || dispatchAt < delayUntil))
                {
                    // One timer per deadline; a new one only when the deadline moves earlier (more items, SLO mode).
                    delayUntil = dispatchAt;
                    // The deadline may already have passed since the lock was released (a descheduled thread):
                    // a negative wait would throw and end this worker.
                    var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), dispatchAt);
                    delay = Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, cancellationToken);
                }

                if (delay is null || dispatchAt == long.MaxValue)
                {
                    await arrived.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.WhenAny(arrived, delay).ConfigureAwait(false);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (delay.IsCompleted)
                    {
                        delay = null;
                        delayUntil = long.MaxValue;
                    }
                }
            }
        }
        finally
        {
            _formation.Release();
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

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
