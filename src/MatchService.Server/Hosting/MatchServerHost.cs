using MatchService.Server.Faces;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;
using MatchService.Server.Playground;
using MatchService.Server.Products;
using MatchService.Server.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>Builds the MatchService web application (used by Program and by the host tests).</summary>
internal static class MatchServerHost
{
    /// <summary>Builds the application; <paramref name="configure"/> may add services or configuration (tests).</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid (each is named with its key).</exception>
    /// <exception cref="AggregateException">Settings of several sections are invalid: one <see cref="OptionsValidationException"/> each.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        builder.Services.AddMatchServerOptions(builder.Configuration);
        builder.Services.AddMatchPlayground();
        builder.Services.AddMatchGrpc();
        builder.Services.AddMatchMetrics();
        builder.Services.AddMatchPipelines(builder.Configuration);
        builder.Services.AddFaceRpcs(builder.Configuration);
        builder.Services.AddPersonRpcs(builder.Configuration);
        builder.Services.AddProductRpcs(builder.Configuration);

        var app = builder.Build();

        // Every options class is registered with ValidateOnStart; run those checks here rather than when the host
        // starts, so that a wrong value stops the process before anything loads or listens. (Section Match is checked
        // even earlier, inside builder.Build(): the host reads its shutdown timeout from Match:DrainTimeout.)
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        app.MapMatchGrpc();
        app.MapMatchPlayground();
        return app;
    }

    /// <summary>
    /// Binds section <c>Match</c> (<see cref="MatchServerOptions"/>, checked by <see cref="MatchServerOptionsValidator"/>
    /// on start) and configures Kestrel from it: the listener, TLS, stream limits, connection age, and a shutdown long
    /// enough to drain.
    /// </summary>
    public static IServiceCollection AddMatchServerOptions(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MatchServerOptions>().Bind(configuration.GetSection(MatchServerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MatchServerOptions>, MatchServerOptionsValidator>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<MatchServerOptions>>((kestrel, match) => KestrelSetup.Configure(kestrel, match.Value));
        services.AddOptions<HostOptions>().Configure<IOptions<MatchServerOptions>>((host, match) => host.ShutdownTimeout = match.Value.DrainTimeout + TimeSpan.FromSeconds(5));
        return services;
    }
}
