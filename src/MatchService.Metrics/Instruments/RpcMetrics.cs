using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MatchService.Metrics.Instruments;

/// <summary>Per-RPC request counts by status and their duration (meter <c>MatchService.Rpc</c>); the gRPC layer calls <see cref="Record"/>.</summary>
public sealed class RpcMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MatchService.Rpc";

    private static readonly double[] Bounds = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    /// <summary>Creates the instruments.</summary>
    public RpcMetrics()
    {
        _requests = _meter.CreateCounter<long>("match_rpc_requests", "{request}", "RPCs handled, by method and gRPC status code.");
        _duration = _meter.CreateHistogram<double>("match_rpc_request_duration_seconds", "s", "RPC duration from the first byte in to the trailers out.",
            advice: new() { HistogramBucketBoundaries = Bounds });
    }

    /// <summary>Records one finished RPC.</summary>
    /// <param name="method">Full method, e.g. <c>match.v1.MatchService/Verify</c>.</param>
    /// <param name="statusCode">gRPC status code name, e.g. <c>OK</c>, <c>RESOURCE_EXHAUSTED</c>.</param>
    /// <param name="seconds">Duration.</param>
    public void Record(string method, string statusCode, double seconds)
    {
        var tags = new TagList { { "method", method }, { "code", statusCode } };
        _requests.Add(1, tags);
        _duration.Record(seconds, tags);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
