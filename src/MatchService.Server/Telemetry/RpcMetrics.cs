using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>Every finished gRPC call by method and status, and its duration (recorded by <c>RpcOutcomeMiddleware</c>).</summary>
public sealed class RpcMetrics(CollectorRegistry registry)
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _requests = Metrics.WithCustomRegistry(registry)
        .CreateCounter("match_rpc_requests_total", "RPCs handled, by method and gRPC status code.", "method", "code");

    private readonly Histogram _duration = Metrics.WithCustomRegistry(registry)
        .CreateHistogram("match_rpc_request_duration_seconds", "RPC duration from the first byte in to the trailers out.",
            new HistogramConfiguration { LabelNames = ["method", "code"], Buckets = Buckets });

    /// <summary>Records one finished call.</summary>
    /// <param name="method">Full method, e.g. <c>match.v1.MatchService/Verify</c>.</param>
    /// <param name="code">Status code name, e.g. <c>OK</c>, <c>RESOURCE_EXHAUSTED</c>.</param>
    /// <param name="seconds">Duration.</param>
    public void Record(string method, string code, double seconds)
    {
        _requests.WithLabels(method, code).Inc();
        _duration.WithLabels(method, code).Observe(seconds);
    }
}
