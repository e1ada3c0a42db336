using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using MatchService.Contracts.Client;
using MatchService.Contracts.V1;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Server.Tests.Grpc;

/// <summary>
/// Our client (the factory's channel) against an independent server: Google's C-core gRPC in python3-grpcio
/// (Grpc/Interop/match_server.py): gzip both ways, call credentials, and a retry that waits the C-core server's pushback.
/// </summary>
public sealed class CCoreInteropTests : IAsyncLifetime
{
    private Process _server = null!;
    private string _address = "";

    public async Task InitializeAsync()
    {
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Grpc", "Interop", "match_server.py"));
        psi.ArgumentList.Add(Path.Combine(RepoPaths.Root, "protos"));
        psi.Environment["no_proxy"] = "*";
        _server = Process.Start(psi)!;
        _ = _server.StandardError.ReadToEndAsync(); // drained, so a chatty interpreter never blocks on a full pipe
        var line = await _server.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(line?.StartsWith("port ", StringComparison.Ordinal) == true, $"match_server.py printed '{line}' instead of its port");
        _address = $"http://127.0.0.1:{int.Parse(line![5..], CultureInfo.InvariantCulture)}";
    }

    public async Task DisposeAsync()
    {
        _server.StandardInput.Close();
        if (!_server.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _server.Kill();
        }
        _server.Dispose();
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Gzip_requests_arrive_intact_and_gzip_responses_are_read()
    {
        var options = new MatchServiceClientOptions { Address = _address, CompressRequests = true, MaxAttempts = 1 };
        using var channel = MatchServiceChannel.Create(options);
        var client = MatchServiceChannel.CreateClient(channel, options);
        var feature = Enumerable.Range(0, 4096).Select(i => (float)(i % 7)).ToArray();

        var answer = await client.CompareWithConfidenceAsync(new CompareRequest
        {
            First = new CompareInput { Precomputed = new FeatureWithConfidence { Feature = { feature } } },
        }, deadline: DateTime.UtcNow.AddMinutes(1));
        Assert.Equal($"4096:{feature.Sum().ToString(CultureInfo.InvariantCulture)}", answer.First.ImageId);
    }

    [Fact]
    public async Task A_refusal_is_retried_after_the_pushback_with_the_token_as_call_credentials()
    {
        using var channel = MatchServiceChannel.Create(new MatchServiceClientOptions { Address = _address, BearerToken = "0123456789abcdef-token" });
        var started = Stopwatch.GetTimestamp();
        var models = (await new V1.MatchService.MatchServiceClient(channel).ListModelsAsync(new ListModelsRequest(), deadline: DateTime.UtcNow.AddMinutes(1))).Models;

        Assert.Equal("c-core", models[0].Name);
        Assert.Equal("2", models[0].Version); // the refused first call, then the retry
        Assert.Equal("Bearer 0123456789abcdef-token", models[0].Description);
        Assert.True(Stopwatch.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(200), "the retry did not wait the 200 ms pushback");
    }
}
