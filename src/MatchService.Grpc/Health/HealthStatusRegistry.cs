using System.Threading.Channels;
using Grpc.Health.V1;

namespace MatchService.Grpc.Health;

/// <summary>
/// The serving status of each service name ("" is the server as a whole). Model warm-up, unhealthy instances and
/// shutdown set it; the health service answers Check from it and streams every change to Watch.
/// </summary>
public sealed class HealthStatusRegistry
{
    /// <summary>The name of the server as a whole.</summary>
    public const string OverallService = "";

    private readonly object _sync = new();
    private readonly Dictionary<string, HealthCheckResponse.Types.ServingStatus> _statuses = new(StringComparer.Ordinal);
    private readonly List<(string Service, Channel<HealthCheckResponse.Types.ServingStatus> Channel)> _watchers = [];
    private bool _terminal;

    /// <summary>Sets a service's status and notifies its watchers (ignored after <see cref="EnterShutdown"/>).</summary>
    public void SetStatus(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        ArgumentNullException.ThrowIfNull(service);
        lock (_sync)
        {
            if (_terminal)
            {
                return;
            }
            SetLocked(service, status);
        }
    }

    /// <summary>Forgets a service (Check answers NOT_FOUND again; watchers see SERVICE_UNKNOWN).</summary>
    public void ClearStatus(string service)
    {
        lock (_sync)
        {
            if (_statuses.Remove(service))
            {
                Notify(service, HealthCheckResponse.Types.ServingStatus.ServiceUnknown);
            }
        }
    }

    /// <summary>The status of a service, or null when unknown.</summary>
    public HealthCheckResponse.Types.ServingStatus? GetStatus(string service)
    {
        lock (_sync)
        {
            return _statuses.TryGetValue(service, out var s) ? s : null;
        }
    }

    /// <summary>Every known service and its status.</summary>
    public IReadOnlyDictionary<string, HealthCheckResponse.Types.ServingStatus> Snapshot()
    {
        lock (_sync)
        {
            return new Dictionary<string, HealthCheckResponse.Types.ServingStatus>(_statuses, StringComparer.Ordinal);
        }
    }

    /// <summary>Shutdown: every known service becomes NOT_SERVING and later changes are ignored.</summary>
    public void EnterShutdown()
    {
        lock (_sync)
        {
            _terminal = true;
            foreach (var service in _statuses.Keys.ToList())
            {
                SetLocked(service, HealthCheckResponse.Types.ServingStatus.NotServing);
            }
        }
    }

    /// <summary>Watches a service: the current status first (SERVICE_UNKNOWN when unknown), then every change.</summary>
    public HealthWatch Watch(string service)
    {
        var channel = Channel.CreateUnbounded<HealthCheckResponse.Types.ServingStatus>(new UnboundedChannelOptions { SingleReader = true });
        lock (_sync)
        {
            channel.Writer.TryWrite(_statuses.TryGetValue(service, out var s) ? s : HealthCheckResponse.Types.ServingStatus.ServiceUnknown);
            _watchers.Add((service, channel));
        }
        return new HealthWatch(channel.Reader, () =>
        {
            lock (_sync)
            {
                _watchers.RemoveAll(w => w.Channel == channel);
            }
        });
    }

    private void SetLocked(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        if (_statuses.TryGetValue(service, out var old) && old == status)
        {
            return;
        }
        _statuses[service] = status;
        Notify(service, status);
    }

    private void Notify(string service, HealthCheckResponse.Types.ServingStatus status)
    {
        foreach (var (name, channel) in _watchers)
        {
            if (name == service)
            {
                channel.Writer.TryWrite(status);
            }
        }
    }
}

/// <summary>A subscription to one service's status changes; dispose to stop.</summary>
public sealed class HealthWatch(ChannelReader<HealthCheckResponse.Types.ServingStatus> changes, Action unsubscribe) : IDisposable
{
    /// <summary>The statuses, current first.</summary>
    public ChannelReader<HealthCheckResponse.Types.ServingStatus> Changes { get; } = changes;

    /// <inheritdoc />
    public void Dispose() => unsubscribe();
}
