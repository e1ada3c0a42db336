using MatchService.Metrics.Exposition;
using MatchService.Metrics.Instruments;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.Metrics.Hosting;

/// <summary>Wiring for the Prometheus endpoint in an ASP.NET Core host.</summary>
public static class MetricsEndpoint
{
    /// <summary>The conventional port of the metrics listener.</summary>
    public const int DefaultPort = 9464;

    /// <summary>
    /// Registers the <see cref="MetricsCollector"/> (listening to every <c>MatchService.*</c> meter) and the
    /// <see cref="RpcMetrics"/>, <see cref="ImagingMetrics"/> and <see cref="MatchingMetrics"/> instruments.
    /// </summary>
    public static IServiceCollection AddPrometheusMetrics(this IServiceCollection services)
    {
        services.AddSingleton(_ => new MetricsCollector("MatchService"));
        services.AddSingleton<RpcMetrics>();
        services.AddSingleton<ImagingMetrics>();
        services.AddSingleton<MatchingMetrics>();
        return services;
    }

    /// <summary>
    /// Maps <c>GET /metrics</c> in the text format 0.0.4, answered only on <paramref name="port"/> (the host must also
    /// listen there, e.g. <c>ListenAnyIP(9464)</c> with HTTP/1.1), so the metrics stay off the gRPC port.
    /// Pass <paramref name="port"/> = 0 to answer on every port.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, int port = DefaultPort, string path = "/metrics")
    {
        var builder = endpoints.MapGet(path, WriteAsync);
        return port > 0 ? builder.RequireHost($"*:{port}") : builder;
    }

    /// <summary>Writes the exposition of the registered collector.</summary>
    public static async Task WriteAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var collector = context.RequestServices.GetRequiredService<MetricsCollector>();
        context.Response.ContentType = PrometheusTextFormat.ContentType;
        await context.Response.WriteAsync(collector.Scrape(), context.RequestAborted).ConfigureAwait(false);
    }
}
