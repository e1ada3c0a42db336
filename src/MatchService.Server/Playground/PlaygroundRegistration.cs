using System.Net;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Playground;

/// <summary>Wires the playground (<see cref="MatchServerOptions.Playground"/>) into the host when it is enabled.</summary>
internal static class PlaygroundRegistration
{
    /// <summary>
    /// The playground's checks (<see cref="PlaygroundOptionsValidator"/>), and when <c>Match:Playground:Enabled</c>, an
    /// HTTP/1.1 listener for the page and the bridge that calls the RPCs. Needs the server's options
    /// (<see cref="MatchServerHost.AddMatchServerOptions"/>).
    /// </summary>
    public static IServiceCollection AddMatchPlayground(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<MatchServerOptions>, PlaygroundOptionsValidator>();
        services.AddSingleton<PlaygroundBridge>();
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<MatchServerOptions>>((kestrel, server) =>
        {
            var playground = server.Value.Playground;
            if (playground.Enabled)
            {
                kestrel.Listen(IPAddress.Parse(playground.Address), playground.Port, o => o.Protocols = HttpProtocols.Http1);
            }
        });
        return services;
    }

    /// <summary>The page (<c>GET /playground</c>) and its API (<c>POST /playground/api/verify</c>), when enabled.</summary>
    public static WebApplication MapMatchPlayground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.Services.GetRequiredService<IOptions<MatchServerOptions>>().Value.Playground.Enabled)
        {
            return app;
        }

        app.MapGet("/playground", () => Results.Text(PlaygroundPage.Html, "text/html; charset=utf-8"));
        app.MapPost("/playground/api/verify", (HttpContext http, PlaygroundBridge bridge) => bridge.VerifyAsync(http));
        return app;
    }
}
