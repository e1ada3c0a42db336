namespace MatchService.Inference.Batching;

/// <summary>Running totals of one model, read by tests, health and logs (the metrics carry the same numbers).</summary>
public sealed class ModelStatistics
{
    private long _items;
    private long _batches;
    private long _droppedCancelled;
    private long _droppedExpired;
    private long _rejected;
    private long _failedBatches;
    private int _largestBatch;

    /// <summary>Items that ran.</summary>
    public long Items => Interlocked.Read(ref _items);

    /// <summary>Batch runs (successful or not).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Items dropped because their caller cancelled.</summary>
    public long DroppedCancelled => Interlocked.Read(ref _droppedCancelled);

    /// <summary>Items dropped because their deadline passed.</summary>
    public long DroppedExpired => Interlocked.Read(ref _droppedExpired);

    /// <summary>Items rejected because the queue was full.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Batch runs that failed.</summary>
    public long FailedBatches => Interlocked.Read(ref _failedBatches);

    /// <summary>Largest batch run so far.</summary>
    public int LargestBatch => Volatile.Read(ref _largestBatch);

    internal void AddBatch(int size, bool failed)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _items, size);
        if (failed)
        {
            Interlocked.Increment(ref _failedBatches);
        }

        int seen;
        while (size > (seen = Volatile.Read(ref _largestBatch)) && Interlocked.CompareExchange(ref _largestBatch, size, seen) != seen)
        {
        }
    }

    internal void AddDrop(DropReason reason)
    {
        if (reason == DropReason.Cancelled)
        {
            Interlocked.Increment(ref _droppedCancelled);
        }
        else
        {
            Interlocked.Increment(ref _droppedExpired);
        }
    }

    internal void AddRejection() => Interlocked.Increment(ref _rejected);
}
