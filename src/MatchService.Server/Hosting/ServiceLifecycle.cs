using Grpc.Health.V1;
using MatchService.Grpc.Health;
using MatchService.Grpc.Server;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>
/// Readiness and graceful shutdown. At start: NOT_SERVING until every <see cref="IStartupWarmup"/> finished, then
/// SERVING. On SIGTERM (StoppingAsync, before Kestrel stops): NOT_SERVING, new calls refused
/// with UNAVAILABLE, calls in flight finish (bounded by DrainTimeout); then Kestrel closes the connections.
/// </summary>
public sealed partial class ServiceLifecycle(
    HealthStatusRegistry health,
    GrpcCallTracker tracker,
    IEnumerable<IStartupWarmup> warmups,
    IOptions<MatchServerOptions> options,
    ILogger<ServiceLifecycle> logger) : BackgroundService, IHostedLifecycleService
{
    /// <summary>The health name of the match service.</summary>
    public const string MatchServiceName = "match.v1.MatchService";

    /// <inheritdoc />
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        health.SetStatus(HealthStatusRegistry.OverallService, HealthCheckResponse.Types.ServingStatus.NotServing);
        health.SetStatus(MatchServiceName, HealthCheckResponse.Types.ServingStatus.NotServing);
        return base.StartAsync(cancellationToken);
    }

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
        health.SetStatus(MatchServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        health.SetStatus(HealthStatusRegistry.OverallService, HealthCheckResponse.Types.ServingStatus.Serving);
        LogReady(logger);
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
        tracker.BeginDrain();
        var timeout = options.Value.DrainTimeout;
        LogDraining(logger, tracker.InFlight, timeout.TotalSeconds);
        using var bounded = new CancellationTokenSource(timeout);
        try
        {
            await tracker.WaitForIdleAsync(bounded.Token).ConfigureAwait(false);
            LogDrained(logger);
        }
        catch (OperationCanceledException)
        {
            LogDrainTimeout(logger, tracker.InFlight);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Warming up {Name}")]
    private static partial void LogWarmup(ILogger logger, string name);

    [LoggerMessage(Level = LogLevel.Error, Message = "Warm-up of {Name} failed; the service stays NOT_SERVING")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ready: health reports SERVING")]
    private static partial void LogReady(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutting down: NOT_SERVING, refusing new calls, draining {InFlight} call(s) for up to {Seconds} s")]
    private static partial void LogDraining(ILogger logger, int inFlight, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained: no call in flight")]
    private static partial void LogDrained(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drain timeout: {InFlight} call(s) still in flight are cut off")]
    private static partial void LogDrainTimeout(ILogger logger, int inFlight);
}
