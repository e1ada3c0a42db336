using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace MatchService.Grpc.Server;

/// <summary>Handles a unary call.</summary>
public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context);

/// <summary>Handles a client-streaming call.</summary>
public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, ServerCallContext context);

/// <summary>Handles a server-streaming call.</summary>
public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>Handles a bidirectional-streaming call.</summary>
public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requests, IServerStreamWriter<TResponse> responses, ServerCallContext context);

/// <summary>A method of a served service and the handler bound to it.</summary>
public abstract class ServerMethodBinding
{
    private protected ServerMethodBinding(MethodDescriptor descriptor)
    {
        Descriptor = descriptor;
        Path = $"/{descriptor.Service.FullName}/{descriptor.Name}";
        Name = Path[1..];
    }

    /// <summary>The protobuf method.</summary>
    public MethodDescriptor Descriptor { get; }

    /// <summary>The HTTP/2 path, <c>/package.Service/Method</c>.</summary>
    public string Path { get; }

    /// <summary>The path without its leading slash, <c>package.Service/Method</c> (logs, metrics).</summary>
    public string Name { get; }

    /// <summary>Calls are served while draining and not counted as in flight (set when the method is mapped).</summary>
    internal bool IsDrainExempt { get; set; }

    internal abstract Task InvokeAsync(ServerCallContext call);
}

/// <summary>A method with no handler yet: answers UNIMPLEMENTED.</summary>
internal sealed class UnimplementedMethodBinding(MethodDescriptor descriptor) : ServerMethodBinding(descriptor)
{
    internal override Task InvokeAsync(ServerCallContext call) =>
        throw new RpcException(StatusCode.Unimplemented, $"Method {Path.TrimStart('/')} is not implemented by this server yet.");
}

internal sealed class UnaryMethodBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
    : ServerMethodBinding(method.Descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await call.ReadSingleRequestAsync(method.RequestParser, call.CancellationToken).ConfigureAwait(false);
        var response = await handler(request, call).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {method.FullName} returned null.");
        // Not flushed: headers, message and trailers leave together when the call completes.
        await call.Response.WriteMessageAsync(response, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}

internal sealed class ClientStreamingMethodBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethodBinding(method.Descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var requests = new ServerRequestStream<TRequest>(call, method.RequestParser);
        var response = await handler(requests, call).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Handler of {method.FullName} returned null.");
        await call.Response.WriteMessageAsync(response, flush: false, call.CancellationToken).ConfigureAwait(false);
    }
}

internal sealed class ServerStreamingMethodBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethodBinding(method.Descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    internal override async Task InvokeAsync(ServerCallContext call)
    {
        var request = await call.ReadSingleRequestAsync(method.RequestParser, call.CancellationToken).ConfigureAwait(false);
        await handler(request, new ServerResponseStream<TResponse>(call), call).ConfigureAwait(false);
    }
}

internal sealed class DuplexStreamingMethodBinding<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
    : ServerMethodBinding(method.Descriptor)
    where TRequest : class, IMessage<TRequest>, new()
    where TResponse : class, IMessage<TResponse>, new()
{
    internal override Task InvokeAsync(ServerCallContext call) =>
        handler(new ServerRequestStream<TRequest>(call, method.RequestParser), new ServerResponseStream<TResponse>(call), call);
}
