using MatchService.Grpc;
using MatchService.Grpc.Server;
using MatchService.Metrics.Instruments;

namespace MatchService.Server.Hosting;

/// <summary>Counts every finished RPC by method and status, and records its duration.</summary>
public sealed class RpcMetricsObserver(RpcMetrics metrics) : IGrpcCallObserver
{
    /// <inheritdoc />
    public void OnCallCompleted(string method, Status status, TimeSpan elapsed) =>
        metrics.Record(method, status.StatusCode.ToSpecName(), elapsed.TotalSeconds);
}
