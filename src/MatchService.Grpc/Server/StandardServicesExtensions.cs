using MatchService.Grpc.Health;
using MatchService.Grpc.Reflection;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MatchService.Grpc.Server;

/// <summary>Registration and mapping of the health and reflection services.</summary>
public static class StandardServicesExtensions
{
    /// <summary>Adds the health registry and service, and the reflection service.</summary>
    public static IServiceCollection AddGrpcHealthAndReflection(this IServiceCollection services)
    {
        services.TryAddSingleton<HealthStatusRegistry>();
        services.TryAddSingleton<HealthService>();
        services.TryAddSingleton<ReflectionService>();
        return services;
    }

    /// <summary>Maps <c>grpc.health.v1.Health</c>.</summary>
    public static void MapGrpcHealth(this IEndpointRouteBuilder endpoints)
    {
        var health = endpoints.ServiceProvider.GetRequiredService<HealthService>();
        endpoints.MapGrpcService(HealthService.Descriptor, health.Bind);
    }

    /// <summary>Maps <c>grpc.reflection.v1</c> and <c>grpc.reflection.v1alpha</c>.</summary>
    public static void MapGrpcReflection(this IEndpointRouteBuilder endpoints)
    {
        var reflection = endpoints.ServiceProvider.GetRequiredService<ReflectionService>();
        endpoints.MapGrpcService(ReflectionService.V1Descriptor, reflection.BindV1);
        endpoints.MapGrpcService(ReflectionService.V1AlphaDescriptor, reflection.BindV1Alpha);
    }
}
