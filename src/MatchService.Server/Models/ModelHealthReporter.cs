using Grpc.Health.V1;
using MatchService.Inference.Health;
using MatchService.Server.Hosting;

namespace MatchService.Server.Models;

/// <summary>
/// Keeps <c>match.v1.MatchService</c>'s health in step with the engine after start-up: NOT_SERVING while some model has
/// no healthy instance left (each instance is marked unhealthy after repeated failed runs), SERVING again when one
/// recovers. Readiness at start is the lifecycle's job (warm-up); shutdown freezes the registry, so this cannot
/// turn a draining server back to SERVING.
/// </summary>
internal sealed partial class ModelHealthReporter(ModelHost models, MatchHealthService health, ILogger<ModelHealthReporter> logger) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IModelHealth engine;
        try
        {
            engine = await models.Ready.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return; // start-up failed: the host reports that itself
        }

        using var subscription = Follow(engine, health, logger);
        await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>Publishes every health change of <paramref name="engine"/> until the returned subscription is disposed.</summary>
    public static IDisposable Follow(IModelHealth engine, MatchHealthService health, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var last = engine.IsReady;
        void OnChanged(object? sender, EventArgs e)
        {
            var ready = engine.IsReady;
            if (ready == Interlocked.Exchange(ref last, ready))
            {
                return;
            }
            if (!ready)
            {
                var failing = engine.Instances.Where(i => !i.Healthy).Select(i => $"{i.Instance}: {i.LastError}");
                LogUnhealthy(logger, string.Join("; ", failing));
            }
            else
            {
                LogRecovered(logger);
            }
            health.Publish(MatchHealthService.MatchServiceName,
                ready ? HealthCheckResponse.Types.ServingStatus.Serving : HealthCheckResponse.Types.ServingStatus.NotServing);
        }

        engine.HealthChanged += OnChanged;
        return new Subscription(() => engine.HealthChanged -= OnChanged);
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "a model has no healthy instance left; match.v1.MatchService is NOT_SERVING: {Failing}")]
    private static partial void LogUnhealthy(ILogger logger, string failing);

    [LoggerMessage(Level = LogLevel.Information, Message = "every model has a healthy instance again; match.v1.MatchService is SERVING")]
    private static partial void LogRecovered(ILogger logger);
}
