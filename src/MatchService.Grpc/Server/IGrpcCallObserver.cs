namespace MatchService.Grpc.Server;

/// <summary>
/// Told about every finished call of a bound method (metrics, audit). Register one in DI; the gRPC layer itself knows
/// nothing of what is done with it. Called on the request's thread: keep it cheap and never throw.
/// </summary>
public interface IGrpcCallObserver
{
    /// <summary>One call ended.</summary>
    /// <param name="method">The full method path without the leading slash, e.g. <c>match.v1.MatchService/Verify</c>.</param>
    /// <param name="status">The status sent (or, for a call the client cancelled, CANCELLED).</param>
    /// <param name="elapsed">From the request's arrival to the status.</param>
    void OnCallCompleted(string method, Status status, TimeSpan elapsed);
}
