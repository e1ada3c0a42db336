using Grpc.Core;
using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace MatchService.Server.Hosting;

/// <summary>
/// grpc.health.v1.Health (Check and Watch from Grpc.HealthCheck) with the service's names: <c>""</c> (the server as a
/// whole) and <c>match.v1.MatchService</c>. Warm-up, unhealthy models and shutdown set the status; after
/// <see cref="EnterShutdown"/> everything stays NOT_SERVING. An unknown name is NOT_FOUND naming the known ones.
/// </summary>
internal sealed class MatchHealthService : HealthServiceImpl, IDisposable
{
    /// <summary>The name of the server as a whole.</summary>
    public const string OverallService = "";

    /// <summary>The name of the match service.</summary>
    public const string MatchServiceName = "match.v1.MatchService";

    private static readonly string[] Names = [OverallService, MatchServiceName];
    private readonly Lock _sync = new();
    private readonly CancellationTokenSource _watchesEnd = new();
    private bool _shutdown;

    /// <summary>Starts NOT_SERVING under every name.</summary>
    public MatchHealthService()
    {
        foreach (var name in Names)
        {
            SetStatus(name, HealthCheckResponse.Types.ServingStatus.NotServing);
        }
    }

    /// <summary>Sets a name's status and notifies its watchers (ignored once shutting down).</summary>
    public void Publish(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        lock (_sync)
        {
            if (!_shutdown)
            {
                SetStatus(service, status);
            }
        }
    }

    /// <summary>Shutdown: every name becomes NOT_SERVING for good.</summary>
    public void EnterShutdown()
    {
        lock (_sync)
        {
            _shutdown = true;
            foreach (var name in Names)
            {
                SetStatus(name, HealthCheckResponse.Types.ServingStatus.NotServing);
            }
        }
    }

    /// <summary>
    /// Ends every Watch stream normally (status OK), after the drain: a watcher has seen NOT_SERVING by then, and an
    /// open Watch would otherwise hold the server's shutdown until its timeout.
    /// </summary>
    public void EndWatches() => _watchesEnd.Cancel();

    /// <inheritdoc />
    public void Dispose() => _watchesEnd.Dispose();

    /// <inheritdoc />
    public override Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WatchUntilEndAsync(request, responseStream, context);
    }

    private async Task WatchUntilEndAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, _watchesEnd.Token);
        await base.Watch(request, responseStream, new CancellableCallContext(context, linked.Token)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            return await base.Check(request, context).ConfigureAwait(false);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new RpcException(new Status(StatusCode.NotFound,
                $"unknown service name '{request.Service}'; known: '' (the server) and '{MatchServiceName}'"));
        }
    }
}
