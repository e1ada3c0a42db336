using MatchService.Client;
using MatchService.Grpc.Client;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.Server.Tests;

/// <summary>The real host (MatchServerHost) on a dynamic loopback port.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private RunningServer(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public static async Task<RunningServer> StartAsync(params string[] args)
    {
        var app = MatchServerHost.Build(["--Match:Port=0", "--Match:Metrics:Port=0", $"--Pipeline:ModelsPath={ModelsPath}", .. args]);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningServer(app, new Uri(address));
    }

    /// <summary>The forged default models (scripts/forge-models.sh), which the host loads and warms up.</summary>
    public static string ModelsPath => RepoPaths.Models;

    public MatchServiceClient Client(string? token = null, GrpcChannelOptions? options = null) =>
        MatchServiceClient.Create(Address.ToString(), token, options);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
