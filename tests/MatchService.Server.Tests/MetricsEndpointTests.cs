using System.Diagnostics;
using Grpc.Core;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using MatchService.Testing;

namespace MatchService.Server.Tests;

/// <summary>The host's /metrics port: RPCs counted by method and status, valid for promtool.</summary>
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Rpcs_are_counted_by_method_and_status_and_the_scrape_passes_promtool()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Connect();
        await client.CheckAsync();
        await client.CheckAsync();
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.CheckAsync("no.such.Service"));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);

        var address = server.App.Services.GetRequiredService<MetricsListener>().Address;
        Assert.NotNull(address);
        Assert.NotEqual(server.Address.Port, address.Port);
        using var http = new HttpClient();
        // A call is recorded just after its trailers leave, so the client can be a moment ahead of the scrape.
        const string ok = "match_rpc_requests_total{method=\"grpc.health.v1.Health/Check\",code=\"OK\"} 2";
        const string notFound = "match_rpc_requests_total{method=\"grpc.health.v1.Health/Check\",code=\"NOT_FOUND\"} 1";
        var scrape = await Eventually.UntilAsync(() => http.GetStringAsync(new Uri(address, "/metrics")),
            text => text.Contains(ok, StringComparison.Ordinal) && text.Contains(notFound, StringComparison.Ordinal), "both health calls counted");
        Assert.Contains("match_rpc_request_duration_seconds_count{method=\"grpc.health.v1.Health/Check\",code=\"OK\"} 2", scrape, StringComparison.Ordinal);
        // The engine's families share the host's registry; process and runtime figures come along.
        Assert.Contains("match_inference_pending_items{model=\"face_detector\"} 0", scrape, StringComparison.Ordinal);
        Assert.Contains("match_inference_instance_healthy{model=\"face_detector\",instance=\"cpu/0\"} 1", scrape, StringComparison.Ordinal);
        Assert.Contains("process_cpu_seconds_total", scrape, StringComparison.Ordinal);
        Assert.Contains("microsoft_aspnetcore_server_kestrel_kestrel_active_connections", scrape, StringComparison.Ordinal);
        Assert.Equal("", await PromtoolCheckAsync(scrape));
    }

    [Fact]
    public async Task Metrics_are_not_served_on_the_grpc_port()
    {
        await using var server = await RunningServer.StartAsync();
        using var http = new HttpClient { DefaultRequestVersion = new Version(2, 0), DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(new Uri(server.Address, "/metrics"));
        Assert.NotEqual(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Runs <c>promtool check metrics</c> on the text; returns its complaints ("" when clean).</summary>
    private static async Task<string> PromtoolCheckAsync(string exposition)
    {
        using var promtool = Process.Start(new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await promtool.StandardInput.WriteAsync(exposition);
        promtool.StandardInput.Close();
        var output = await promtool.StandardOutput.ReadToEndAsync() + await promtool.StandardError.ReadToEndAsync();
        await promtool.WaitForExitAsync();
        return promtool.ExitCode == 0 ? output.Trim() : $"exit {promtool.ExitCode}: {output}";
    }
}
