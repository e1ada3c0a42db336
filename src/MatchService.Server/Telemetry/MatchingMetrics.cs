using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>Verdicts and skipped searches; the RPC handlers record them.</summary>
internal sealed class MatchingMetrics(CollectorRegistry registry)
{
    private readonly Counter _verdicts = Metrics.WithCustomRegistry(registry)
        .CreateCounter("match_verdicts_total", "Verdicts returned, by RPC and verdict (same, different, undetermined).", "rpc", "verdict");

    private readonly Counter _searchesSkipped = Metrics.WithCustomRegistry(registry)
        .CreateCounter("match_searches_skipped_total", "Candidate searches skipped, by reason (non_commodity).", "reason");

    /// <summary>Records one verdict.</summary>
    /// <param name="rpc">The RPC, e.g. <c>Verify</c>.</param>
    /// <param name="verdict">e.g. <c>same</c>, <c>different</c>, <c>undetermined</c>.</param>
    public void RecordVerdict(string rpc, string verdict) => _verdicts.WithLabels(rpc, verdict).Inc();

    /// <summary>Records one skipped search.</summary>
    /// <param name="reason">e.g. <c>non_commodity</c>.</param>
    public void RecordSearchSkipped(string reason) => _searchesSkipped.WithLabels(reason).Inc();
}
