using System.Net;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Playground;

/// <summary>Wires the playground (<see cref="PlaygroundOptions"/>) into the host when it is enabled.</summary>
internal static class PlaygroundRegistration
{
    /// <summary>
    /// When <c>Match:Playground:Enabled</c>: an HTTP/1.1 listener for the page and the bridge that calls the RPCs.
    /// A server with a bearer token or TLS refuses to start with it (the page is a local developer tool and would
    /// have to carry the secret).
    /// </summary>
    /// <exception cref="OptionsValidationException">The playground is enabled on a server with a token or TLS, or its port is invalid.</exception>
    public static WebApplicationBuilder AddMatchPlayground(this WebApplicationBuilder builder, MatchServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(server);
        var options = builder.Configuration.GetSection(PlaygroundOptions.Section).Get<PlaygroundOptions>() ?? new PlaygroundOptions();
        if (!options.Enabled)
        {
            return builder;
        }

        var failures = new List<string>();
        if (!string.IsNullOrEmpty(server.BearerToken) || !string.IsNullOrEmpty(server.Tls.CertificatePath))
        {
            failures.Add($"{PlaygroundOptions.Section}:Enabled: the playground is a local developer tool for a plaintext server without Match:BearerToken; turn it off, or the token and TLS");
        }

        if (options.Port is < 0 or > 65535 || !IPAddress.TryParse(options.Address, out var address))
        {
            failures.Add($"{PlaygroundOptions.Section}: Address must be an IP and Port 0-65535 (got '{options.Address}', {options.Port})");
            address = IPAddress.Loopback;
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(PlaygroundOptions.Section, typeof(PlaygroundOptions), failures);
        }

        builder.Services.AddSingleton(Options.Create(options));
        builder.Services.AddSingleton<PlaygroundBridge>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(address, options.Port, o => o.Protocols = HttpProtocols.Http1));
        return builder;
    }

    /// <summary>The page (<c>GET /playground</c>) and its API (<c>POST /playground/api/verify</c>), when enabled.</summary>
    public static WebApplication MapMatchPlayground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetService<PlaygroundBridge>() is null)
        {
            return app;
        }

        app.MapGet("/playground", () => Results.Text(PlaygroundPage.Html, "text/html; charset=utf-8"));
        app.MapPost("/playground/api/verify", (HttpContext http, PlaygroundBridge bridge) => bridge.VerifyAsync(http));
        return app;
    }
}
