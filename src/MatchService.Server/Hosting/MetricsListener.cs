using System.Net;
using MatchService.Metrics.Exposition;
using MatchService.Metrics.Hosting;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>
/// Serves <c>GET /metrics</c> (Prometheus text format) on its own HTTP/1.1 port, apart from the HTTP/2-only gRPC port,
/// for the lifetime of the host. <c>Match:Metrics:Port</c> = 0 picks a free port (tests); -1 turns the listener off.
/// </summary>
public sealed partial class MetricsListener(
    IOptions<MatchServerOptions> options, MetricsCollector collector, ILoggerFactory loggerFactory, ILogger<MetricsListener> logger) : IHostedService, IAsyncDisposable
{
    private MetricsServer? _server;

    /// <summary>The bound address once started (null when turned off).</summary>
    public Uri? Address => _server?.Address;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var metrics = options.Value.Metrics;
        if (metrics.Port < 0)
        {
            return;
        }
        var endpoint = new IPEndPoint(IPAddress.Parse(metrics.Address), metrics.Port);
        _server = await MetricsServer.StartAsync(endpoint, collector, loggerFactory, cancellationToken).ConfigureAwait(false);
        LogListening(logger, _server.Address);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => DisposeAsync().AsTask();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics on {Address}metrics")]
    private static partial void LogListening(ILogger logger, Uri address);
}
