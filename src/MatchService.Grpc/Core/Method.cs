using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MatchService.Grpc;

/// <summary>A typed method of a service, bound to the protobuf descriptor that defines it.</summary>
public sealed class Method<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    internal Method(MethodDescriptor descriptor)
    {
        Descriptor = descriptor;
        Type = GrpcMethod.GetMethodType(descriptor);
        var requestDescriptor = new TRequest().Descriptor;
        var responseDescriptor = new TResponse().Descriptor;
        // The generated parsers create messages with a plain constructor call; a parser built here with `new T()`
        // would go through Activator.CreateInstance for every message.
        RequestParser = requestDescriptor.Parser as MessageParser<TRequest> ?? new MessageParser<TRequest>(() => new TRequest());
        ResponseParser = responseDescriptor.Parser as MessageParser<TResponse> ?? new MessageParser<TResponse>(() => new TResponse());
        if (requestDescriptor.FullName != descriptor.InputType.FullName)
        {
            throw new ArgumentException(
                $"Method {FullName} takes {descriptor.InputType.FullName}, not {requestDescriptor.FullName}.");
        }
        if (responseDescriptor.FullName != descriptor.OutputType.FullName)
        {
            throw new ArgumentException(
                $"Method {FullName} returns {descriptor.OutputType.FullName}, not {responseDescriptor.FullName}.");
        }
    }

    /// <summary>The protobuf descriptor.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The call kind.</summary>
    public MethodType Type { get; }

    /// <summary>Fully qualified service name, e.g. <c>match.v1.MatchService</c>.</summary>
    public string ServiceName => Descriptor.Service.FullName;

    /// <summary>Method name, e.g. <c>Verify</c>.</summary>
    public string Name => Descriptor.Name;

    /// <summary><c>service/method</c>, as in the HTTP/2 path without its leading slash.</summary>
    public string FullName => $"{ServiceName}/{Name}";

    /// <summary>The HTTP/2 <c>:path</c>.</summary>
    public string Path => "/" + FullName;

    /// <summary>Parses requests.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses responses.</summary>
    public MessageParser<TResponse> ResponseParser { get; }
}

/// <summary>Creates typed methods from protobuf descriptors.</summary>
public static class GrpcMethod
{
    /// <summary>The method named <paramref name="name"/> of a service descriptor.</summary>
    public static Method<TRequest, TResponse> Create<TRequest, TResponse>(ServiceDescriptor service, string name)
        where TRequest : class, IMessage<TRequest>, new()
        where TResponse : class, IMessage<TResponse>, new()
    {
        ArgumentNullException.ThrowIfNull(service);
        var descriptor = service.FindMethodByName(name)
            ?? throw new ArgumentException($"Service {service.FullName} has no method '{name}'.", nameof(name));
        return new Method<TRequest, TResponse>(descriptor);
    }

    /// <summary>The call kind of a method descriptor.</summary>
    public static MethodType GetMethodType(MethodDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (true, false) => MethodType.ClientStreaming,
            (false, true) => MethodType.ServerStreaming,
            (true, true) => MethodType.DuplexStreaming,
        };
    }
}
