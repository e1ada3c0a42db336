using Grpc.Health.V1;
using MatchService.Grpc.Server;

namespace MatchService.Grpc.Health;

/// <summary><c>grpc.health.v1.Health</c>: Check and Watch over a <see cref="HealthStatusRegistry"/>.</summary>
public sealed class HealthService(HealthStatusRegistry registry, GrpcCallTracker tracker)
{
    /// <summary>The protobuf service.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor Descriptor => HealthReflection.Descriptor.Services[0];

    /// <summary>Binds Check and Watch.</summary>
    public void Bind(GrpcServiceBuilder builder) => builder
        .Unary<HealthCheckRequest, HealthCheckResponse>("Check", CheckAsync)
        .ServerStreaming<HealthCheckRequest, HealthCheckResponse>("Watch", WatchAsync);

    // One completed answer per status, shared by every call: probes and load balancers check often, and the
    // response is only ever serialised, never changed.
    private static readonly Task<HealthCheckResponse>[] s_answers =
        [.. Enum.GetValues<HealthCheckResponse.Types.ServingStatus>().Order().Select(s => Task.FromResult(new HealthCheckResponse { Status = s }))];

    private Task<HealthCheckResponse> CheckAsync(HealthCheckRequest request, ServerCallContext context)
    {
        var status = registry.GetStatus(request.Service)
            ?? throw new RpcException(StatusCode.NotFound, $"Unknown service name '{request.Service}'; known: {Known()}.");
        return (int)status < s_answers.Length ? s_answers[(int)status] : Task.FromResult(new HealthCheckResponse { Status = status });
    }

    private async Task WatchAsync(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        using var watch = registry.Watch(request.Service);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, tracker.Draining);
        try
        {
            while (await watch.Changes.WaitToReadAsync(stop.Token).ConfigureAwait(false))
            {
                while (watch.Changes.TryRead(out var status))
                {
                    await responses.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (tracker.IsDraining && !context.CancellationToken.IsCancellationRequested)
        {
            // Shutting down: deliver the last changes (NOT_SERVING), then end so that the drain can finish.
            while (watch.Changes.TryRead(out var status))
            {
                await responses.WriteAsync(new HealthCheckResponse { Status = status }, context.CancellationToken).ConfigureAwait(false);
            }
            throw new RpcException(StatusCode.Unavailable, "The server is shutting down; watch another instance.");
        }
    }

    private string Known()
    {
        var names = registry.Snapshot().Keys.Select(k => k.Length == 0 ? "\"\"" : k).ToList();
        return names.Count == 0 ? "none yet" : string.Join(", ", names);
    }
}
