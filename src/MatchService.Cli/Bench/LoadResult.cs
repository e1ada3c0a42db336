namespace MatchService.Cli.Bench;

/// <summary>What a load run measured (latencies of successful calls, in milliseconds).</summary>
public sealed record LoadResult
{
    /// <summary>Callers.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Calls that succeeded.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Calls that failed.</summary>
    public required long Failed { get; init; }

    /// <summary>Measured wall time in seconds.</summary>
    public required double Seconds { get; init; }

    /// <summary>Successful calls per second.</summary>
    public double Throughput => Seconds > 0 ? Succeeded / Seconds : 0;

    /// <summary>Mean latency.</summary>
    public required double MeanMs { get; init; }

    /// <summary>Median latency.</summary>
    public required double P50Ms { get; init; }

    /// <summary>90th percentile.</summary>
    public required double P90Ms { get; init; }

    /// <summary>99th percentile.</summary>
    public required double P99Ms { get; init; }

    /// <summary>Slowest call.</summary>
    public required double MaxMs { get; init; }

    /// <summary>Failures by exception type (or "timeout").</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }
}
