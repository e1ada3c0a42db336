using Grpc.Health.V1;
using MatchService.Server.Telemetry;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>
/// Readiness and graceful shutdown. At start: NOT_SERVING until every <see cref="IStartupWarmup"/> finished, then
/// SERVING. On SIGTERM (StoppingAsync, before Kestrel stops): NOT_SERVING, new calls refused
/// with UNAVAILABLE, calls in flight finish (bounded by DrainTimeout); then Kestrel closes the connections.
/// The "Ready" line is logged once the warm-ups are done AND Kestrel listens (ApplicationStarted: the host starts
/// Kestrel after the hosted services, so a warm-up can finish before the port accepts connections).
/// </summary>
internal sealed partial class ServiceLifecycle(
    MatchHealthService health,
    CallDrain calls,
    IEnumerable<IStartupWarmup> warmups,
    IOptions<MatchServerOptions> options,
    IHostApplicationLifetime lifetime,
    IServer server,
    ILogger<ServiceLifecycle> logger,
    MetricsListener? metrics = null) : BackgroundService, IHostedLifecycleService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var warmup in warmups)
        {
            try
            {
                LogWarmup(logger, warmup.Name);
                await warmup.WarmUpAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWarmupFailed(logger, ex, warmup.Name);
                return;
            }
        }
        health.Publish(MatchHealthService.MatchServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        health.Publish(MatchHealthService.OverallService, HealthCheckResponse.Types.ServingStatus.Serving);

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
        }

        var grpcAddresses = string.Join(", ", server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []);
        var metricsUrl = metrics?.Address is { } m ? new Uri(m, "metrics").ToString() : "off";
        LogReady(logger, grpcAddresses, metricsUrl);
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Runs before any hosted service stops, Kestrel included (WebApplication starts Kestrel last and stops it first,
    /// so a plain StopAsync would come too late).
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        health.EnterShutdown();
        calls.BeginDrain();
        var timeout = options.Value.DrainTimeout;
        LogDraining(logger, calls.InFlight, timeout.TotalSeconds);
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            await calls.WaitForIdleAsync(bounded.Token).ConfigureAwait(false);
            LogDrained(logger);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimeout(logger, calls.InFlight);
        }
        health.EndWatches();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warming up {Name}")]
    private static partial void LogWarmup(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm-up of {Name} failed; the service stays NOT_SERVING")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: gRPC on {Addresses} accepts calls (health SERVING); metrics on {MetricsUrl}")]
    private static partial void LogReady(ILogger logger, string addresses, string metricsUrl);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: NOT_SERVING, refusing new calls, draining {InFlight} call(s) for up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, int inFlight, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no call in flight")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain timeout: {InFlight} call(s) still in flight are cut off")]
    private static partial void LogDrainTimeout(ILogger logger, int inFlight);
}
