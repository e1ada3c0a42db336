using Grpc.Net.Client;
using MatchService.Contracts.Client;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>
/// The real host (<see cref="MatchServerHost"/>, as the server's Program builds it) on a dynamic loopback port
/// (HTTP/2, plaintext) with the default models. Settings are configuration keys (e.g. <c>Faces:CalibrationPath</c>).
/// </summary>
public sealed class MatchServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MatchServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The server's address, e.g. http://127.0.0.1:40123.</summary>
    public Uri Address { get; }

    /// <summary>The host's services (engine, calibration store, ...).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>Starts a server; <paramref name="settings"/> override configuration keys.</summary>
    public static async Task<MatchServer> StartAsync(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var defaults = new Dictionary<string, string?>
        {
            ["Match:Address"] = "127.0.0.1",
            ["Match:Port"] = "0",
            ["Match:Metrics:Port"] = "0",
            ["Match:MaxConcurrentStreamsPerConnection"] = "500",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Pipeline:ModelsPath"] = RepoPaths.Models,
            // CI machines are shared and slow: a queue wait is not what these tests measure.
            ["Pipeline:ModelTimeoutMs"] = "120000",
            ["Faces:CalibrationPath"] = Path.Combine(RepoPaths.Models, "face_recognition", "calibration.json"),
        };

        // The server's own host builder, so the registration under test is the one the server runs.
        var app = MatchServerHost.Build([], b =>
        {
            b.Configuration.AddInMemoryCollection(defaults);
            if (settings is not null)
            {
                b.Configuration.AddInMemoryCollection(settings);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MatchServer(app, new Uri(address));
    }

    /// <summary>A channel to this server.</summary>
    public GrpcChannel CreateChannel() =>
        MatchServiceChannel.Create(new MatchServiceClientOptions { Address = Address.ToString().TrimEnd('/'), MaxAttempts = 1 });

    /// <summary>The server's /metrics address.</summary>
    public Uri MetricsAddress => new(_app.Services.GetRequiredService<MatchService.Server.Telemetry.MetricsListener>().Address!, "/metrics");

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
