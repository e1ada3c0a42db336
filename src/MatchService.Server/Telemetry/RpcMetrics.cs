using System.Collections.Concurrent;
using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>Every finished gRPC call by method and status, and its duration (recorded by <c>RpcOutcomeMiddleware</c>).</summary>
internal sealed class RpcMetrics(CollectorRegistry registry)
{
    private static readonly double[] Buckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _requests = Metrics.WithCustomRegistry(registry)
        .CreateCounter("match_rpc_requests_total", "RPCs handled, by method and gRPC status code.", "method", "code");

    private readonly Histogram _duration = Metrics.WithCustomRegistry(registry)
        .CreateHistogram("match_rpc_request_duration_seconds", "RPC duration from the first byte in to the trailers out.",
            new HistogramConfiguration { LabelNames = ["method", "code"], Buckets = Buckets });

    // One pair of series per (request path, status): found without building label arrays or strings per call.
    private readonly ConcurrentDictionary<(string Path, int Code), (Counter.Child Requests, Histogram.Child Duration)> _series = new();

    /// <summary>Records one finished call.</summary>
    /// <param name="path">The request path, e.g. <c>/match.v1.MatchService/Verify</c> (the label drops the slash).</param>
    /// <param name="code">The status code.</param>
    /// <param name="seconds">Duration.</param>
    public void Record(string path, Grpc.Core.StatusCode code, double seconds)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!_series.TryGetValue((path, (int)code), out var series))
        {
            var labels = new[] { path.TrimStart('/'), StatusCodeName(code) };
            series = _series.GetOrAdd((path, (int)code), (_requests.WithLabels(labels), _duration.WithLabels(labels)));
        }
        series.Requests.Inc();
        series.Duration.Observe(seconds);
    }

    /// <summary>The status code as the gRPC spec writes it, e.g. RESOURCE_EXHAUSTED.</summary>
    public static string StatusCodeName(Grpc.Core.StatusCode code) => code switch
    {
        Grpc.Core.StatusCode.OK => "OK",
        Grpc.Core.StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        Grpc.Core.StatusCode.NotFound => "NOT_FOUND",
        Grpc.Core.StatusCode.AlreadyExists => "ALREADY_EXISTS",
        Grpc.Core.StatusCode.PermissionDenied => "PERMISSION_DENIED",
        Grpc.Core.StatusCode.ResourceExhausted => "RESOURCE_EXHAUSTED",
        Grpc.Core.StatusCode.FailedPrecondition => "FAILED_PRECONDITION",
        Grpc.Core.StatusCode.OutOfRange => "OUT_OF_RANGE",
        Grpc.Core.StatusCode.DataLoss => "DATA_LOSS",
        Grpc.Core.StatusCode.InvalidArgument => "INVALID_ARGUMENT",
        _ => code.ToString().ToUpperInvariant(),
    };
}
