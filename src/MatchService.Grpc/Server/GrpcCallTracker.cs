namespace MatchService.Grpc.Server;

/// <summary>
/// Counts calls in flight and refuses new ones once draining started (graceful shutdown): refused calls get
/// UNAVAILABLE, calls in flight finish, and <see cref="WaitForIdleAsync"/> tells when the last one did.
/// </summary>
public sealed class GrpcCallTracker : IDisposable
{
    private readonly CancellationTokenSource _draining = new();
    private readonly object _sync = new();
    private TaskCompletionSource? _idle;
    private int _inFlight;

    /// <summary>Calls in flight (drain-exempt services not counted).</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True once <see cref="BeginDrain"/> was called.</summary>
    public bool IsDraining => _draining.IsCancellationRequested;

    /// <summary>Cancelled when draining starts; long-lived streams (health Watch) end on it.</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Registers a new call; false when draining (the call must be refused).</summary>
    public bool TryEnter()
    {
        lock (_sync)
        {
            if (IsDraining)
            {
                return false;
            }
            _inFlight++;
            return true;
        }
    }

    /// <summary>Unregisters a call.</summary>
    public void Exit()
    {
        lock (_sync)
        {
            _inFlight--;
            if (_inFlight == 0)
            {
                _idle?.TrySetResult();
            }
        }
    }

    /// <summary>Stops accepting calls.</summary>
    public void BeginDrain()
    {
        lock (_sync)
        {
            if (IsDraining)
            {
                return;
            }
        }
        _draining.Cancel();
    }

    /// <inheritdoc />
    public void Dispose() => _draining.Dispose();

    /// <summary>Completes when no call is in flight (or the token is cancelled: the drain timeout).</summary>
    public Task WaitForIdleAsync(CancellationToken cancellationToken)
    {
        Task idle;
        lock (_sync)
        {
            if (_inFlight == 0)
            {
                return Task.CompletedTask;
            }
            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            idle = _idle.Task;
        }
        return idle.WaitAsync(cancellationToken);
    }
}
