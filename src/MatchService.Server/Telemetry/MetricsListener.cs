using System.Net;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>
/// Serves <c>GET /metrics</c> (Prometheus text 0.0.4, or OpenMetrics when the scraper asks for it) from the host's
/// <see cref="CollectorRegistry"/> on its own HTTP/1.1 port, apart from the HTTP/2-only gRPC port.
/// <c>Match:Metrics:Port</c> = 0 picks a free port (tests); -1 turns the listener off.
/// </summary>
internal sealed partial class MetricsListener(IOptions<MatchServerOptions> options, CollectorRegistry registry, ILogger<MetricsListener> logger)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The bound address once started (null when turned off), e.g. <c>http://127.0.0.1:9464/</c>.</summary>
    public Uri? Address { get; private set; }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var metrics = options.Value.Metrics;
        if (metrics.Port < 0)
        {
            return;
        }

        // A second, private application: its lifetime must not log a second "Application started / Content root path"
        // block (with the working directory as its root) next to the service's.
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Parse(metrics.Address), metrics.Port, o => o.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        app.MapMetrics(s => s.Registry = registry);
        app.MapGet("/", () => Results.Text("MatchService metrics: GET /metrics\n"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        LogListening(logger, Address);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _app, null) is { } app)
        {
            await app.StopAsync().ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics on {Address}metrics")]
    private static partial void LogListening(ILogger logger, Uri address);
}
