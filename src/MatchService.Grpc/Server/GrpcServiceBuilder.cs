using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MatchService.Grpc.Server;

/// <summary>
/// Binds handlers to the methods of one protobuf service. The kind and message types are checked against the
/// descriptor; methods left unbound answer UNIMPLEMENTED.
/// </summary>
public sealed class GrpcServiceBuilder
{
    private readonly Dictionary<string, ServerMethodBinding> _bindings = new(StringComparer.Ordinal);

    internal GrpcServiceBuilder(ServiceDescriptor service)
    {
        Service = service;
    }

    /// <summary>The service being bound.</summary>
    public ServiceDescriptor Service { get; }

    /// <summary>Binds a unary method.</summary>
    public GrpcServiceBuilder Unary<TRequest, TResponse>(string name, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Resolve<TRequest, TResponse>(name, MethodType.Unary);
        return Add(new UnaryMethodBinding<TRequest, TResponse>(method, handler));
    }

    /// <summary>Binds a client-streaming method.</summary>
    public GrpcServiceBuilder ClientStreaming<TRequest, TResponse>(string name, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Resolve<TRequest, TResponse>(name, MethodType.ClientStreaming);
        return Add(new ClientStreamingMethodBinding<TRequest, TResponse>(method, handler));
    }

    /// <summary>Binds a server-streaming method.</summary>
    public GrpcServiceBuilder ServerStreaming<TRequest, TResponse>(string name, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Resolve<TRequest, TResponse>(name, MethodType.ServerStreaming);
        return Add(new ServerStreamingMethodBinding<TRequest, TResponse>(method, handler));
    }

    /// <summary>Binds a bidirectional-streaming method.</summary>
    public GrpcServiceBuilder DuplexStreaming<TRequest, TResponse>(string name, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = Resolve<TRequest, TResponse>(name, MethodType.DuplexStreaming);
        return Add(new DuplexStreamingMethodBinding<TRequest, TResponse>(method, handler));
    }

    internal IReadOnlyList<ServerMethodBinding> Build() =>
        Service.Methods
            .Select(m => _bindings.TryGetValue(m.Name, out var b) ? b : new UnimplementedMethodBinding(m))
            .ToList();

    private Method<TRequest, TResponse> Resolve<TRequest, TResponse>(string name, MethodType expected)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        var method = GrpcMethod.Create<TRequest, TResponse>(Service, name);
        if (method.Type != expected)
        {
            throw new ArgumentException($"Method {method.FullName} is {method.Type}, not {expected}.", nameof(name));
        }
        if (_bindings.ContainsKey(name))
        {
            throw new ArgumentException($"Method {method.FullName} is bound twice.", nameof(name));
        }
        return method;
    }

    private GrpcServiceBuilder Add(ServerMethodBinding binding)
    {
        _bindings.Add(binding.Descriptor.Name, binding);
        return this;
    }
}
