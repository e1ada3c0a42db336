using System.Diagnostics.Metrics;

namespace MatchService.Metrics.Instruments;

/// <summary>Verdicts and skipped searches (meter <c>MatchService.Matching</c>); the RPC handlers call these.</summary>
public sealed class MatchingMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MatchService.Matching";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _verdicts;
    private readonly Counter<long> _searchesSkipped;

    /// <summary>Creates the instruments.</summary>
    public MatchingMetrics()
    {
        _verdicts = _meter.CreateCounter<long>("match_verdicts", "{verdict}", "Verdicts returned, by RPC and verdict (same, different, undetermined).");
        _searchesSkipped = _meter.CreateCounter<long>("match_searches_skipped", "{search}", "Candidate searches skipped, by reason (non_commodity).");
    }

    /// <summary>Records one verdict.</summary>
    /// <param name="rpc">The RPC, e.g. <c>Verify</c>.</param>
    /// <param name="verdict">e.g. <c>same</c>, <c>different</c>, <c>undetermined</c>.</param>
    public void RecordVerdict(string rpc, string verdict) =>
        _verdicts.Add(1, new KeyValuePair<string, object?>("rpc", rpc), new("verdict", verdict));

    /// <summary>Records one skipped search.</summary>
    /// <param name="reason">e.g. <c>non_commodity</c>.</param>
    public void RecordSearchSkipped(string reason) => _searchesSkipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
