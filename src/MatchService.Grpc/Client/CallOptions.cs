namespace MatchService.Grpc.Client;

/// <summary>Per-call options: deadline, custom headers and cancellation.</summary>
public readonly record struct CallOptions(DateTime? Deadline = null, Metadata? Headers = null, CancellationToken CancellationToken = default)
{
    /// <summary>Options with a deadline this far from now.</summary>
    public static CallOptions WithTimeout(TimeSpan timeout, Metadata? headers = null, CancellationToken cancellationToken = default) =>
        new(DateTime.UtcNow + timeout, headers, cancellationToken);
}
