using System.Net;
using MatchService.Grpc.Client;
using MatchService.Grpc.Server;
using MatchService.Server.Faces;
using MatchService.Server.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>
/// The real host on a dynamic loopback port (HTTP/2, plaintext): the shared pipeline, the default models, and the
/// RPC handlers registered the same way the server's Program does. Settings are configuration keys
/// (e.g. <c>Faces:CalibrationPath</c>).
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
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Pipeline:ModelsPath"] = RepoPaths.Models,
            // CI machines are shared and slow: a queue wait is not what these tests measure.
            ["Pipeline:ModelTimeoutMs"] = "120000",
            ["Faces:CalibrationPath"] = Path.Combine(RepoPaths.Models, "face_recognition", "calibration.json"),
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            k.Limits.Http2.MaxStreamsPerConnection = 500;
        });
        builder.Services.AddGrpcServer();
        builder.Services.AddGrpcHealthAndReflection();
        builder.Services.AddMatchPipelines(builder.Configuration);
        builder.Services.AddFaceRpcs(builder.Configuration);
        ConfigureServices?.Invoke(builder.Services, builder.Configuration);
        var app = builder.Build();
        app.MapGrpcService(FaceRpcRegistration.MatchServiceDescriptor, b =>
        {
            b.BindFaceRpcs(app.Services);
            BindMore?.Invoke(b, app.Services);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new MatchServer(app, new Uri(address));
    }

    /// <summary>Extra registrations other RPC areas add (set once, before the first start).</summary>
    public static Action<IServiceCollection, IConfiguration>? ConfigureServices { get; set; }

    /// <summary>Extra method bindings other RPC areas add on the same MatchService (set once, before the first start).</summary>
    public static Action<GrpcServiceBuilder, IServiceProvider>? BindMore { get; set; }

    /// <summary>A channel to this server.</summary>
    public GrpcChannel CreateChannel() => GrpcChannel.ForAddress(Address);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
