using System.Diagnostics.Metrics;
using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>
/// Exports the framework's own meters (Kestrel connections, ASP.NET Core requests, the .NET runtime) through
/// prometheus-net's adapter, beside the process and GC figures of <see cref="DotNetStats"/>. Our own families are
/// declared directly (<see cref="RpcMetrics"/>, the engine's instruments…): the adapter renames instruments and turns
/// counters into gauges, which is tolerable for framework figures but not for the names dashboards rely on.
/// </summary>
internal sealed class FrameworkMeters : IHostedService, IDisposable
{
    private static readonly string[] Meters = ["Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Hosting", "System.Runtime"];

    private readonly CollectorRegistry _registry;
    private IDisposable? _adapter;

    /// <summary>Registers the process/runtime collectors in <paramref name="registry"/>.</summary>
    public FrameworkMeters(CollectorRegistry registry)
    {
        _registry = registry;
        DotNetStats.Register(registry);
    }

    /// <summary>
    /// Whether an instrument is one of the framework meters this exports. Counts that are not histograms (e.g.
    /// <c>dotnet.timer.count</c>) are left out: as gauges named <c>…_count</c> they fail <c>promtool check metrics</c>, and
    /// <see cref="DotNetStats"/> covers what matters of them.
    /// </summary>
    public static bool IsExported(Instrument instrument) =>
        instrument is not null && Meters.Contains(instrument.Meter.Name, StringComparer.Ordinal)
        && !(instrument.Name.EndsWith(".count", StringComparison.Ordinal) && !instrument.GetType().Name.StartsWith("Histogram", StringComparison.Ordinal));

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _adapter = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = _registry,
            MetricFactory = Metrics.WithCustomRegistry(_registry),
            InstrumentFilterPredicate = IsExported,
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose() => Interlocked.Exchange(ref _adapter, null)?.Dispose();
}
