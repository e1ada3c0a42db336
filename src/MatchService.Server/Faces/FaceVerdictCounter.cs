using System.Diagnostics.Metrics;
using MatchService.Contracts.V1;

namespace MatchService.Server.Faces;

/// <summary>Counts verdicts by RPC (<c>match_verdicts_total{rpc, verdict}</c> once exported).</summary>
public sealed class FaceVerdictCounter : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "MatchService.Faces";

    private readonly Meter _meter;
    private readonly Counter<long> _verdicts;

    /// <summary>Creates the counter on the host's meter factory.</summary>
    public FaceVerdictCounter(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        _meter = meterFactory.Create(MeterName);
        _verdicts = _meter.CreateCounter<long>("match_verdicts", "{verdict}", "Verdicts returned, by RPC and verdict.");
    }

    /// <summary>Counts one verdict.</summary>
    public void Add(string rpc, Verdict verdict) =>
        _verdicts.Add(1, new("rpc", rpc), new("verdict", verdict.ToString().ToUpperInvariant()));

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
