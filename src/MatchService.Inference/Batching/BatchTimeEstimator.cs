namespace MatchService.Inference.Batching;

/// <summary>
/// Learns t(batch size) online: an exponentially weighted mean per batch size, with linear interpolation between
/// sizes seen and a conservative linear extrapolation beyond them.
/// </summary>
public sealed class BatchTimeEstimator
{
    private readonly double[] _seconds;
    private readonly double _alpha;
    private readonly Lock _lock = new();
    private double _secondsPerItem;

    /// <summary>Creates an estimator for sizes 1..<paramref name="maxBatchSize"/>.</summary>
    public BatchTimeEstimator(int maxBatchSize, double alpha = 0.2)
    {
        _seconds = new double[maxBatchSize + 1];
        _alpha = alpha;
    }

    /// <summary>Adds one observed run.</summary>
    public void Observe(int batchSize, double seconds)
    {
        if (batchSize < 1 || batchSize >= _seconds.Length || !(seconds >= 0))
        {
            return;
        }

        lock (_lock)
        {
            ref var s = ref _seconds[batchSize];
            s = s == 0 ? seconds : s + (_alpha * (seconds - s));
            var perItem = seconds / batchSize;
            _secondsPerItem = _secondsPerItem == 0 ? perItem : _secondsPerItem + (_alpha * (perItem - _secondsPerItem));
        }
    }

    /// <summary>
    /// Recent compute time per item over runs of every size (null before any): how fast a queue drains now. It follows
    /// the machine's current speed even for batch sizes that have not run lately, and it is conservative for a long
    /// queue (full batches cost less per item than the smaller ones that dominate it).
    /// </summary>
    public double? SecondsPerItem
    {
        get
        {
            lock (_lock)
            {
                return _secondsPerItem > 0 ? _secondsPerItem : null;
            }
        }
    }

    /// <summary>Estimated run time for a batch of <paramref name="batchSize"/>, or null before any observation.</summary>
    public double? Estimate(int batchSize)
    {
        batchSize = Math.Clamp(batchSize, 1, _seconds.Length - 1);
        lock (_lock)
        {
            if (_seconds[batchSize] > 0)
            {
                return _seconds[batchSize];
            }

            int lo = 0, hi = 0;
            for (var k = batchSize - 1; k >= 1; k--)
            {
                if (_seconds[k] > 0)
                {
                    lo = k;
                    break;
                }
            }

            for (var k = batchSize + 1; k < _seconds.Length; k++)
            {
                if (_seconds[k] > 0)
                {
                    hi = k;
                    break;
                }
            }

            return (lo, hi) switch
            {
                (0, 0) => null,
                ( > 0, > 0) => _seconds[lo] + ((_seconds[hi] - _seconds[lo]) * (batchSize - lo) / (hi - lo)),
                ( > 0, 0) => _seconds[lo] * batchSize / lo, // beyond what was seen: proportional, an upper bound
                _ => _seconds[hi], // below what was seen: a larger batch takes at least as long
            };
        }
    }
}
