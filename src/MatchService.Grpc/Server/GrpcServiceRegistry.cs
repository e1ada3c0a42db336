using Google.Protobuf.Reflection;

namespace MatchService.Grpc.Server;

/// <summary>The services this server serves (reflection lists them; unknown paths are told apart from unknown methods).</summary>
public sealed class GrpcServiceRegistry
{
    private readonly Dictionary<string, ServiceDescriptor> _services = new(StringComparer.Ordinal);
    private readonly object _sync = new();

    /// <summary>The served services, by full name, in registration order.</summary>
    public IReadOnlyList<ServiceDescriptor> Services
    {
        get
        {
            lock (_sync)
            {
                return [.. _services.Values];
            }
        }
    }

    /// <summary>True when a service of that full name is served.</summary>
    public bool Contains(string serviceName)
    {
        lock (_sync)
        {
            return _services.ContainsKey(serviceName);
        }
    }

    internal bool FallbackMapped { get; set; }

    internal void Add(ServiceDescriptor service)
    {
        lock (_sync)
        {
            if (!_services.TryAdd(service.FullName, service))
            {
                throw new InvalidOperationException($"Service {service.FullName} is mapped twice.");
            }
        }
    }
}
