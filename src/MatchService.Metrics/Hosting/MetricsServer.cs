using System.Net;
using MatchService.Metrics.Exposition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MatchService.Metrics.Hosting;

/// <summary>
/// A small separate Kestrel listener that serves only <c>/metrics</c> (HTTP/1.1), for hosts that keep their main
/// Kestrel HTTP/2-only. Dispose to stop it.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MetricsServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address (the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    /// <summary>Starts listening on <paramref name="endpoint"/> (port 0 picks a free port).</summary>
    public static async Task<MetricsServer> StartAsync(IPEndPoint endpoint, MetricsCollector collector, ILoggerFactory? loggerFactory = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(collector);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }

        builder.Services.AddSingleton(collector);
        builder.WebHost.ConfigureKestrel(k => k.Listen(endpoint, o => o.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapGet("/metrics", MetricsEndpoint.WriteAsync);
        app.MapGet("/", () => Results.Text("MatchService metrics: GET /metrics\n"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MetricsServer(app, new Uri(address));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
