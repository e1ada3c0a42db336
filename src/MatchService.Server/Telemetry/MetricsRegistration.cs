using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>DI registration of the host's metrics: one registry per host, our families, framework meters, the listener.</summary>
internal static class MetricsRegistration
{
    /// <summary>
    /// Registers a <see cref="CollectorRegistry"/> of this host's own (so that several hosts in one process, as in the
    /// tests, never share series), the RPC, imaging and matching families, the framework meters and the
    /// <c>/metrics</c> listener. The engine declares its families in the same registry (<c>ModelHost</c>).
    /// </summary>
    public static IServiceCollection AddMatchMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ => Metrics.NewCustomRegistry());
        services.AddSingleton<RpcMetrics>();
        services.AddSingleton<ImagingMetrics>();
        services.AddSingleton<MatchingMetrics>();
        services.AddSingleton<FrameworkMeters>();
        services.AddHostedService(sp => sp.GetRequiredService<FrameworkMeters>());
        services.AddSingleton<MetricsListener>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsListener>());
        return services;
    }
}
