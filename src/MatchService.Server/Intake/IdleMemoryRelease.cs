using System.Diagnostics;
using MatchService.Imaging.Memory;
using MatchService.Server.Pipeline;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Intake;

/// <summary>
/// Gives memory back after a burst: once no decoded pixels have been held for
/// <see cref="PipelineOptions.ReleaseMemoryAfterIdleSeconds"/>, the image pools drop the large arrays they kept and
/// one compacting collection (<see cref="GCCollectionMode.Aggressive"/>) returns the freed heap to the system. An idle
/// server allocates nothing, so without this the runtime would never collect, and a burst's peak would stay resident.
/// It runs once per quiet period, never under load.
/// </summary>
internal sealed partial class IdleMemoryRelease(DecodedPixelBudget budget, IOptions<PipelineOptions> options, ILogger<IdleMemoryRelease> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromSeconds(options.Value.ReleaseMemoryAfterIdleSeconds);
        var heapLimitMiB = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes >> 20;
        LogMemorySettings(logger, budget.Capacity, budget.Capacity * 3 >> 20, System.Runtime.GCSettings.IsServerGC, heapLimitMiB, idle.TotalSeconds);
        if (idle <= TimeSpan.Zero)
        {
            return;
        }

        var released = budget.Acquisitions;
        var lastSeen = released;
        var quietSince = Stopwatch.GetTimestamp();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(idle.TotalSeconds / 4, 0.25, 5)));
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = budget.Acquisitions;
            if (now != lastSeen || budget.InUse > 0)
            {
                lastSeen = now;
                quietSince = Stopwatch.GetTimestamp();
                continue;
            }

            if (now != released && Stopwatch.GetElapsedTime(quietSince) >= idle)
            {
                released = now;
                Release();
            }
        }
    }

    private void Release()
    {
        var before = Environment.WorkingSet;
        var kept = ImageArrayPools.KeptBytes;
        ImageArrayPools.Trim();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        LogReleased(logger, kept >> 20, before >> 20, Environment.WorkingSet >> 20);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "memory: decoded-pixel budget {Pixels} ({MiB} MiB); server GC {ServerGc}, heap limit {LimitMiB} MiB; release after {IdleSeconds} s idle")]
    private static partial void LogMemorySettings(ILogger logger, long pixels, long miB, bool serverGc, long limitMiB, double idleSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "idle: released {KeptMiB} MiB of pooled image buffers; working set {BeforeMiB} -> {AfterMiB} MiB")]
    private static partial void LogReleased(ILogger logger, long keptMiB, long beforeMiB, long afterMiB);
}
