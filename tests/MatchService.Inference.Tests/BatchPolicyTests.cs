using System.Diagnostics;
using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;

namespace MatchService.Inference.Tests;

public sealed class BatchPolicyTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    [Fact]
    public void FixedDelay_CountsFromTheOldestItem_AndFullBatchesLeaveAtOnce()
    {
        var policy = new BatchPolicy(new BatchingSpec { MaxBatchSize = 8, MaxQueueDelayUs = 2000 }, new BatchTimeEstimator(8));
        Assert.Equal(Ms(100) + Ms(2), policy.DispatchAt(3, Ms(100), Ms(101.5)));
        Assert.Equal(long.MinValue, policy.DispatchAt(8, Ms(100), Ms(100)));
        Assert.Equal(8, policy.TakeCount(20));
        Assert.Equal(3, policy.TakeCount(3));
    }

    [Fact]
    public void LargestPreferredSize_LeavesAtOnce()
    {
        var policy = new BatchPolicy(new BatchingSpec { MaxBatchSize = 32, PreferredBatchSizes = [4, 16], MaxQueueDelayUs = 2000 }, new BatchTimeEstimator(32));
        Assert.NotEqual(long.MinValue, policy.DispatchAt(15, 0, 0));
        Assert.Equal(long.MinValue, policy.DispatchAt(16, 0, 0));
    }

    [Fact]
    public void LatencySlo_LeavesEarlyEnoughForTheLearnedRunTime_OrWhenArrivalsStop()
    {
        var estimator = new BatchTimeEstimator(32);
        var policy = new BatchPolicy(new BatchingSpec { MaxBatchSize = 32, MaxQueueDelayUs = 5000, LatencySloMs = 50 }, estimator);

        // Nothing learned yet: behaves as the fixed delay.
        Assert.Equal(Ms(5), policy.DispatchAt(4, 0, Ms(1)));

        estimator.Observe(4, 0.010);
        estimator.Observe(16, 0.030);

        // Arrivals keep coming: the SLO decides. 50 − 1.25 × t(4)=10 ms → 37.5 ms after the oldest.
        Assert.Equal(Ms(37.5), policy.DispatchAt(4, 0, Ms(36)), Ms(0.01));

        // A bigger batch is learned to take longer (interpolated t(10) = 20 ms): it must leave earlier.
        Assert.Equal(Ms(25), policy.DispatchAt(10, 0, Ms(24)), Ms(0.01));

        // Arrivals stopped 5 ms ago: waiting longer would not grow the batch.
        Assert.Equal(Ms(8), policy.DispatchAt(4, 0, Ms(3)));
    }

    [Fact]
    public void Estimator_LearnsOnline_InterpolatesAndExtrapolates()
    {
        var e = new BatchTimeEstimator(64, alpha: 0.5);
        Assert.Null(e.Estimate(8));
        e.Observe(8, 0.008);
        Assert.Equal(0.008, e.Estimate(8));
        Assert.Equal(0.016, e.Estimate(16)!.Value, 6); // proportional beyond what was seen
        Assert.Equal(0.008, e.Estimate(2)); // a smaller batch takes at most as long
        e.Observe(8, 0.012);
        Assert.Equal(0.010, e.Estimate(8)!.Value, 6); // exponentially weighted
        e.Observe(32, 0.030);
        Assert.Equal(0.020, e.Estimate(20)!.Value, 6); // interpolated between 8 and 32
    }
}
