using Grpc.AspNetCore.Server;
using Grpc.HealthCheck;
using MatchService.Server.Faces;
using MatchService.Server.Handlers;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>The gRPC side of the host on Grpc.AspNetCore: services, limits, compression, interceptors, health, reflection.</summary>
internal static class GrpcRegistration
{
    /// <summary>
    /// <c>AddGrpc</c> with the message limits and response compression of <see cref="MatchServerOptions"/>, the error
    /// interceptor, the MatchService RPCs, health (Check and Watch) and reflection (v1 and v1alpha).
    /// </summary>
    public static IServiceCollection AddMatchGrpc(this IServiceCollection services)
    {
        services.AddGrpc();
        services.AddOptions<GrpcServiceOptions>().Configure<IOptions<MatchServerOptions>>((grpc, match) =>
        {
            var options = match.Value;
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            grpc.MaxSendMessageSize = options.MaxSendMessageSize;
            grpc.ResponseCompressionAlgorithm = string.IsNullOrEmpty(options.ResponseCompression) ? null : options.ResponseCompression;
            // Unknown services and methods reach UnimplementedMiddleware, which names them.
            grpc.IgnoreUnknownServices = true;
            // Only what escapes our interceptor carries details (the parse error of a unary request); see RpcOutcomeMiddleware.
            grpc.EnableDetailedErrors = true;
            grpc.Interceptors.Add<StageTrailerInterceptor>();
            grpc.Interceptors.Add<RpcErrorInterceptor>();
        });
        services.AddGrpcReflection();
        services.AddSingleton<MatchServiceRpcs>();
        services.AddSingleton<ListModelsHandler>();
        services.AddSingleton<MatchHealthService>();
        services.AddSingleton<HealthServiceImpl>(sp => sp.GetRequiredService<MatchHealthService>());
        services.AddSingleton<CallDrain>();
        services.AddHostedService<ServiceLifecycle>();
        return services;
    }

    /// <summary>The gRPC pipeline (<see cref="UseMatchGrpcPipeline"/>), the face door at first bytes, then the three services.</summary>
    public static WebApplication MapMatchGrpc(this WebApplication app)
    {
        app.UseMatchGrpcPipeline();
        app.UseFaceDoorAtFirstBytes();
        app.MapGrpcService<MatchServiceRpcs>();
        app.MapGrpcService<MatchHealthService>();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>
    /// The middlewares in front of every gRPC service, outermost first: call outcomes (metrics, precise statuses),
    /// drain, bearer token (<c>Match:BearerToken</c>), unknown methods.
    /// </summary>
    public static WebApplication UseMatchGrpcPipeline(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RpcOutcomeMiddleware>();
        var drain = app.Services.GetRequiredService<CallDrain>();
        app.Use((http, next) => drain.InvokeAsync(http, next));
        if (app.Services.GetRequiredService<IOptions<MatchServerOptions>>().Value.BearerToken is { Length: > 0 } token)
        {
            app.UseMiddleware<BearerTokenMiddleware>(token);
        }
        app.UseMiddleware<UnimplementedMiddleware>();
        return app;
    }
}
