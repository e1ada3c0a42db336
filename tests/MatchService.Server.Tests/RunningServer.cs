using Grpc.Health.V1;
using Grpc.Net.Client;
using MatchService.Contracts.Client;
using MatchService.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using MatchService.Testing;
using Microsoft.Extensions.DependencyInjection;
using V1 = MatchService.Contracts.V1;

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

    /// <summary>Runs the built server executable (as <c>dotnet MatchService.Server.dll ARGS</c>) to its end: exit code and stderr.</summary>
    public static async Task<(int ExitCode, string Stderr)> RunExecutableAsync(params string[] args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[RepositoryRoot.BuiltAssembly("MatchService.Server", "MatchService.Server.dll"), .. args])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Eventually.Limit);
        await stdout;
        return (process.ExitCode, stderr);
    }

    /// <summary>The forged default models (scripts/forge-models.sh), which the host loads and warms up.</summary>
    public static string ModelsPath => RepoPaths.Models;

    /// <summary>
    /// Clients over the project's own factory (<see cref="MatchServiceChannel"/>), without retries unless asked for, so
    /// each test sees the server's first answer.
    /// </summary>
    public TestClients Connect(string? token = null, Action<MatchServiceClientOptions>? configure = null)
    {
        var options = new MatchServiceClientOptions { Address = Address.ToString().TrimEnd('/'), BearerToken = token, MaxAttempts = 1 };
        configure?.Invoke(options);
        return new TestClients(MatchServiceChannel.Create(options), options);
    }

    /// <summary>Waits until the overall health is SERVING (the models warm up first).</summary>
    public async Task WaitServingAsync()
    {
        using var clients = Connect();
        await Eventually.UntilAsync(async () => (await clients.Health.CheckAsync(new HealthCheckRequest())).Status,
            status => status == HealthCheckResponse.Types.ServingStatus.Serving, "the server reports SERVING");
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>A channel with the MatchService and health clients on it.</summary>
public sealed class TestClients(GrpcChannel channel, MatchServiceClientOptions options) : IDisposable
{
    public GrpcChannel Channel { get; } = channel;

    public V1.MatchService.MatchServiceClient Match { get; } = MatchServiceChannel.CreateClient(channel, options);

    public Health.HealthClient Health { get; } = new(MatchServiceChannel.CallInvoker(channel, options));

    public async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(string service = "") =>
        (await Health.CheckAsync(new HealthCheckRequest { Service = service })).Status;

    public void Dispose() => Channel.Dispose();
}
