using System.Diagnostics;
using MatchService.Inference.Configuration;

namespace MatchService.Inference.Batching;

/// <summary>
/// When a forming batch leaves, and how big it is (Triton's dynamic batcher semantics, plus an optional latency SLO).
/// <list type="bullet">
/// <item>At once when <c>max_batch_size</c> items (or the largest preferred size) are pending.</item>
/// <item>Fixed delay: when <c>max_queue_delay_us</c> has passed since the oldest pending item arrived.</item>
/// <item>Latency SLO: when the oldest item's age plus the learned t(batch) (with a safety margin) reaches the SLO,
/// or earlier when no item has arrived for <c>max_queue_delay_us</c> (the batch stopped growing, so waiting only
/// adds latency). The delay thus slides with arrivals, and the SLO bounds it.</item>
/// </list>
/// </summary>
internal sealed class BatchPolicy
{
    /// <summary>Share of t(batch) added as a safety margin against run-time jitter.</summary>
    private const double SloMargin = 0.25;

    private readonly long _delayTicks;
    private readonly long _sloTicks;
    private readonly int _dispatchAtOnce;

    public BatchPolicy(BatchingSpec spec, BatchTimeEstimator estimator)
    {
        Spec = spec;
        Estimator = estimator;
        _delayTicks = spec.MaxQueueDelayUs * Stopwatch.Frequency / 1_000_000;
        _sloTicks = spec.LatencySloMs is { } slo ? (long)(slo * Stopwatch.Frequency / 1000) : 0;
        _dispatchAtOnce = spec.PreferredBatchSizes.Count > 0 ? spec.PreferredBatchSizes[^1] : spec.MaxBatchSize;
    }

    public BatchingSpec Spec { get; }

    /// <summary>Pending items that make a batch leave at once.</summary>
    public int DispatchAtOnce => _dispatchAtOnce;

    public BatchTimeEstimator Estimator { get; }

    /// <summary>
    /// The Stopwatch timestamp at which a batch of <paramref name="pending"/> items whose oldest arrived at
    /// <paramref name="oldestArrival"/> must leave; now or earlier means at once.
    /// </summary>
    public long DispatchAt(int pending, long oldestArrival, long lastArrival)
    {
        if (pending >= _dispatchAtOnce)
        {
            return long.MinValue;
        }

        var fixedDeadline = oldestArrival + _delayTicks;
        if (_sloTicks == 0 || Estimator.Estimate(Math.Min(pending, Spec.MaxBatchSize)) is not { } t)
        {
            return fixedDeadline;
        }

        var sloDeadline = oldestArrival + _sloTicks - (long)(t * (1 + SloMargin) * Stopwatch.Frequency);
        var quiet = lastArrival + _delayTicks;
        return Math.Min(sloDeadline, quiet);
    }

    /// <summary>How many items the leaving batch takes out of <paramref name="pending"/>.</summary>
    public int TakeCount(int pending) => Math.Min(pending, Spec.MaxBatchSize);
}
