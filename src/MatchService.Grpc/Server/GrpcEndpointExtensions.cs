using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MatchService.Grpc.Server;

/// <summary>Registration of the gRPC layer and mapping of services to endpoints.</summary>
public static class GrpcEndpointExtensions
{
    /// <summary>Adds the gRPC server layer (processor, registry, call tracker, options).</summary>
    public static IServiceCollection AddGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        services.AddOptions<GrpcServerOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }
        services.TryAddSingleton<GrpcServiceRegistry>();
        services.TryAddSingleton<GrpcCallTracker>();
        services.TryAddSingleton<GrpcCallProcessor>();
        services.AddRouting();
        return services;
    }

    /// <summary>
    /// Serves a protobuf service: <paramref name="bind"/> binds handlers by method name; unbound methods answer
    /// UNIMPLEMENTED. Also adds, once, what answers UNIMPLEMENTED for unknown services and methods: on a
    /// <c>WebApplication</c> a middleware, at this point of the pipeline, for requests no endpoint matched (so add other
    /// middleware, and <c>UseRouting</c> if called at all, before mapping gRPC services); elsewhere a lowest-priority
    /// catch-all route.
    /// </summary>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, ServiceDescriptor service, Action<GrpcServiceBuilder> bind)
    {
        var registry = endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>();
        var processor = endpoints.ServiceProvider.GetRequiredService<GrpcCallProcessor>();
        var builder = new GrpcServiceBuilder(service);
        bind(builder);
        registry.Add(service);
        var conventions = new List<IEndpointConventionBuilder>();
        foreach (var binding in builder.Build())
        {
            processor.Prepare(binding);
            conventions.Add(endpoints.Map(binding.Path, http => processor.ProcessAsync(http, binding))
                .WithDisplayName($"gRPC {binding.Path}"));
        }
        if (!registry.FallbackMapped)
        {
            registry.FallbackMapped = true;
            if (endpoints is IApplicationBuilder app)
            {
                // A middleware that answers what matched no endpoint, rather than a catch-all route: a route with a
                // capture makes the matcher build route values (three allocations) on every request, known or not.
                // WebApplication runs routing first, so the endpoint is known here.
                app.Use(next => http => http.GetEndpoint() is null ? processor.ProcessAsync(http, null) : next(http));
            }
            else
            {
                endpoints.Map("/{**grpcUnknownPath}", http => processor.ProcessAsync(http, null))
                    .WithDisplayName("gRPC unknown method")
                    .Add(b => ((RouteEndpointBuilder)b).Order = int.MaxValue);
            }
        }
        return new CompositeConventionBuilder(conventions);
    }

    private sealed class CompositeConventionBuilder(List<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var b in builders)
            {
                b.Add(convention);
            }
        }
    }
}
