using MatchService.Server.Faces;
using MatchService.Server.Pipeline;
using MatchService.Grpc.Server;
using MatchService.Metrics.Hosting;
using MatchService.Server.Persons;
using MatchService.Server.Handlers;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>Builds the MatchService web application (used by Program and by the host tests).</summary>
public static class MatchServerHost
{
    /// <summary>Builds the application; <paramref name="configure"/> may add services or configuration (tests).</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var section = builder.Configuration.GetSection(MatchServerOptions.Section);
        var options = section.Get<MatchServerOptions>() ?? new MatchServerOptions();
        var validation = new MatchServerOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(MatchServerOptions.Section, typeof(MatchServerOptions), validation.Failures);
        }
        builder.Services.AddOptions<MatchServerOptions>().Bind(section);
        builder.Services.AddSingleton<IValidateOptions<MatchServerOptions>, MatchServerOptionsValidator>();
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = options.DrainTimeout + TimeSpan.FromSeconds(5));
        builder.WebHost.ConfigureKestrel(k => KestrelSetup.Configure(k, options));

        builder.Services.AddGrpcServer(g =>
        {
            g.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            g.MaxSendMessageSize = options.MaxSendMessageSize;
        });
        builder.Services.AddGrpcHealthAndReflection();
        builder.Services.AddHostedService<ServiceLifecycle>();
        builder.Services.AddSingleton<ListModelsHandler>();
        // The inference engine warms up before health turns SERVING (ModelHost is an IStartupWarmup).
        builder.Services.AddMatchPipelines(builder.Configuration);
        builder.Services.AddFaceRpcs(builder.Configuration);
        builder.Services.AddPrometheusMetrics();
        builder.Services.AddSingleton<IGrpcCallObserver, RpcMetricsObserver>();
        builder.Services.AddSingleton<MetricsListener>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MetricsListener>());

        builder.Services.AddPersonAndProductPipelines(builder.Configuration);

        var app = builder.Build();
        if (!string.IsNullOrEmpty(options.BearerToken))
        {
            app.UseMiddleware<BearerTokenMiddleware>(options.BearerToken);
        }
        app.MapGrpcService(MatchServiceEndpoints.Descriptor, b => MatchServiceEndpoints.Bind(b.BindFaceRpcs(app.Services), app.Services));
        app.MapGrpcHealth();
        app.MapGrpcReflection();
        return app;
    }
}
