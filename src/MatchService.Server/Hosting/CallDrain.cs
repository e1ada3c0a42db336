using Grpc.Core;

namespace MatchService.Server.Hosting;

/// <summary>
/// Graceful shutdown of calls: counts gRPC calls in flight and, once <see cref="BeginDrain"/> was called, answers new
/// ones UNAVAILABLE (a client retries on another pod) while those in flight finish; <see cref="WaitForIdleAsync"/>
/// tells when the last one did. Health is exempt: probes must keep working, and a Watch would never end by itself.
/// </summary>
internal sealed class CallDrain
{
    private const string HealthPrefix = "/grpc.health.v1.Health/";
    private readonly Lock _sync = new();
    private TaskCompletionSource? _idle;
    private int _inFlight;
    private bool _draining;

    /// <summary>Calls in flight (health not counted).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Stops accepting calls.</summary>
    public void BeginDrain()
    {
        lock (_sync)
        {
            _draining = true;
        }
    }

    /// <summary>Completes when no call is in flight (or when the token is cancelled: the drain timeout).</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The middleware: counts the call, or refuses it while draining.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(next);
        if (!GrpcTrailersOnly.IsGrpc(http.Request) || http.Request.Path.StartsWithSegments(HealthPrefix.TrimEnd('/'), StringComparison.Ordinal))
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        bool refused;
        lock (_sync)
        {
            refused = _draining;
            _inFlight += refused ? 0 : 1;
        }
        if (refused)
        {
            await GrpcTrailersOnly.WriteAsync(http, StatusCode.Unavailable, "the server is shutting down; retry on another instance").ConfigureAwait(false);
            return;
        }

        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            lock (_sync)
            {
                if (--_inFlight == 0)
                {
                    _idle?.TrySetResult();
                }
            }
        }
    }
}
