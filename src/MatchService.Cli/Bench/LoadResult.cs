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

    /// <summary>Failed calls by gRPC status (e.g. <c>ResourceExhausted</c>), or "timeout" / the exception type.</summary>
    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    /// <summary>One entry per distinct failure status: count, how fast it was answered, an example message.</summary>
    public required IReadOnlyList<FailureSummary> Failures { get; init; }
}

/// <summary>The failed calls of one status.</summary>
/// <param name="Status">gRPC status name, or "timeout" / the exception type.</param>
/// <param name="Count">Calls that ended so.</param>
/// <param name="P50Ms">Median time from the call's start to the failure.</param>
/// <param name="P99Ms">99th percentile of that time (for RESOURCE_EXHAUSTED: how fast a refusal comes).</param>
/// <param name="MaxMs">Slowest.</param>
/// <param name="Example">The message of the first such failure.</param>
public sealed record FailureSummary(string Status, long Count, double P50Ms, double P99Ms, double MaxMs, string Example);
