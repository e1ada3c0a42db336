using System.Diagnostics;

namespace MatchService.Inference.Batching;

/// <summary>
/// Estimates when an arriving item would finish, from the items queued ahead of it, the batches running now and the
/// learned t(batch), so that an item that cannot meet its deadline is refused on arrival instead of waiting and failing
/// late (or being computed for a caller that has gone). Without an observed run yet (before warm-up) nothing is refused.
/// </summary>
/// <remarks>
/// The model: items leave in FIFO batches of up to <c>max_batch_size</c>; the item lands in batch k = ⌈n / B⌉
/// (n = items ahead + 1); with I instances that batch starts in round ⌈k / I⌉, after the first instance is free (or,
/// for a first batch that is not yet full, when the batch policy would send it); the earlier rounds take t(B) each, or
/// (items ahead × recent seconds per item ÷ I) when that is longer; its own batch t(n − (k − 1)·B). Batches that run
/// now end at their start plus their t(size).
/// </remarks>
internal sealed class AdmissionControl(BatchPolicy policy, IWorkerAvailability workers)
{
    /// <summary>
    /// The Stopwatch timestamp at which an item arriving <paramref name="now"/> behind <paramref name="ahead"/> queued
    /// items would finish, or null when t(batch) is not known yet.
    /// </summary>
    /// <param name="ahead">Live items queued ahead of it.</param>
    /// <param name="oldestArrival">Arrival of the oldest of them (ignored when there are none).</param>
    /// <param name="now">The arrival time.</param>
    public long? EstimatedFinish(int ahead, long oldestArrival, long now)
    {
        var max = policy.Spec.MaxBatchSize;
        var n = ahead + 1;
        var batch = ((n - 1) / max) + 1;
        var ownSize = n - ((batch - 1) * max);
        if (policy.Estimator.Estimate(max) is not { } full || policy.Estimator.Estimate(ownSize) is not { } own)
        {
            return null;
        }

        var instances = Math.Max(1, workers.Count);
        var rounds = ((batch - 1) / instances) + 1;
        var start = workers.FirstFreeAt(now);
        if (batch == 1)
        {
            // The forming batch leaves when the policy says (queue delay, SLO), not before.
            start = Math.Max(start, policy.DispatchAt(n, ahead == 0 ? now : oldestArrival, now));
        }

        // The work ahead: full batches at t(B), but never faster than the recent per-item rate says the queue drains
        // (t(B) may be stale when batches of B have not run lately and the machine has slowed down).
        var queued = Math.Max((rounds - 1) * full, ahead * (policy.Estimator.SecondsPerItem ?? 0) / instances);
        return start + Seconds(queued) + Seconds(own);
    }

    private static long Seconds(double s) => (long)(s * Stopwatch.Frequency);
}

/// <summary>What admission needs to know about a model's instances.</summary>
internal interface IWorkerAvailability
{
    /// <summary>Instances taking batches.</summary>
    int Count { get; }

    /// <summary>When the first instance is expected to be free: <paramref name="now"/> when one is idle.</summary>
    long FirstFreeAt(long now);
}
