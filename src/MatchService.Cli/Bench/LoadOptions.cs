namespace MatchService.Cli.Bench;

/// <summary>How <see cref="LoadGenerator"/> drives a call.</summary>
public sealed record LoadOptions
{
    /// <summary>Callers running at once, each issuing its next call when the previous one ends (closed loop).</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Stop after this long (when <see cref="Requests"/> is null or not reached first).</summary>
    public TimeSpan? Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Stop after this many calls in all.</summary>
    public long? Requests { get; init; }

    /// <summary>
    /// Callers start spread evenly over this time instead of all at once: caller i of N starts its first call at i/N of
    /// it. Counted in <see cref="Duration"/>. Zero starts every caller at the same instant.
    /// </summary>
    public TimeSpan RampUp { get; init; }

    /// <summary>Calls issued (and not measured) before measuring, per caller.</summary>
    public int WarmupCallsPerCaller { get; init; }

    /// <summary>Per-call timeout; a call that runs longer counts as a failure ("timeout").</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Where to write the JSON result, or null.</summary>
    public string? JsonPath { get; init; }

    /// <summary>
    /// A caller refused with a <c>grpc-retry-pushback-ms</c> trailer waits that long before its next call, as gRPC
    /// clients with a retry policy do; false sends the next call at once (a client that ignores the server).
    /// </summary>
    public bool HonorRetryPushback { get; init; } = true;

    /// <summary>Show a live progress display.</summary>
    public bool ShowProgress { get; init; } = true;
}
