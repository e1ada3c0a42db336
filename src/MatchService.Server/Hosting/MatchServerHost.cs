using MatchService.Server.Faces;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;
using MatchService.Server.Playground;
using MatchService.Server.Products;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Hosting;

/// <summary>Builds the MatchService web application (used by Program and by the host tests).</summary>
internal static class MatchServerHost
{
    /// <summary>Builds the application; <paramref name="configure"/> may add services or configuration (tests).</summary>
    /// <exception cref="OptionsValidationException">A setting is invalid (each is named with its key).</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Content root = the binaries' folder, so appsettings.json is found whatever the working directory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);

        var options = builder.AddMatchServerOptions();
        builder.AddMatchPlayground(options);
        builder.Services.AddMatchGrpc(options);
        builder.Services.AddMatchMetrics();
        builder.Services.AddMatchPipelines(builder.Configuration);
        builder.Services.AddFaceRpcs(builder.Configuration);
        builder.Services.AddPersonRpcs(builder.Configuration);
        builder.Services.AddProductRpcs(builder.Configuration);

        var app = builder.Build();
        app.MapMatchGrpc(options);
        app.MapMatchPlayground();
        return app;
    }

    /// <summary>
    /// Binds and validates section <c>Match</c> now (a wrong value stops the process before anything listens) and
    /// configures Kestrel: the listener, TLS, stream limits, connection age, and a shutdown long enough to drain.
    /// </summary>
    public static MatchServerOptions AddMatchServerOptions(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
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
        return options;
    }
}
