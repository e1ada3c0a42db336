using Grpc.Core;
using Grpc.Health.V1;
using MatchService.Contracts.V1;
using MatchService.Inference.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using V1 = Grpc.Reflection.V1;

namespace MatchService.Server.Tests;

/// <summary>The host: placeholders, readiness, bearer token and graceful shutdown.</summary>
public sealed class HostTests
{
    [Fact]
    public async Task ListModels_reports_every_loaded_model_with_its_contract_once_serving()
    {
        await using var server = await RunningServer.StartAsync();
        await server.WaitServingAsync();
        using var client = server.Connect();
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await client.CheckAsync("match.v1.MatchService"));

        var models = (await client.Match.ListModelsAsync(new ListModelsRequest())).Models;
        // Every model folder (the alternatives live in models-alternatives/ and are not loaded).
        var expected = Directory.GetDirectories(RunningServer.ModelsPath).Where(d => File.Exists(Path.Combine(d, "config.json")))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, models.Select(m => m.Name).ToArray());
        Assert.All(models, m =>
        {
            Assert.True(m.Ready, m.Name);
            Assert.Equal(["cpu x1"], m.Devices);
            Assert.Equal([("cpu/0", "cpu", "CPUExecutionProvider", true)], m.Instances.Select(i => (i.Id, i.Device, i.Provider, i.Healthy)));
            Assert.NotEmpty(m.Outputs);
            Assert.False(string.IsNullOrEmpty(m.Version), m.Name);
        });
        var embedder = models.Single(m => m.Role == "face_embedder");
        Assert.Equal("converted", embedder.Source);
        Assert.Equal(Metric.Euclidean, embedder.Metric);
        Assert.Equal(128, embedder.EmbeddingDimension);
        Assert.Contains("[B,150,150,3] NHWC RGB float32", embedder.Input, StringComparison.Ordinal);
        Assert.Contains("embedding [B,128] embedding", embedder.Outputs);
        Assert.Equal("converted", models.Single(m => m.Role == "person_global").Source);
        Assert.Equal(Metric.Unspecified, models.Single(m => m.Role == "face_detector").Metric);
        Assert.Equal(0, models.Single(m => m.Role == "face_detector").EmbeddingDimension);
    }

    [Fact]
    public async Task Bearer_token_is_required_except_for_health()
    {
        const string token = "0123456789abcdef-secret";
        await using var server = await RunningServer.StartAsync($"--Match:BearerToken={token}");
        await server.WaitServingAsync();
        using var anonymous = server.Connect();
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await anonymous.Match.ListModelsAsync(new ListModelsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("authorization: Bearer", ex.Status.Detail, StringComparison.Ordinal);
        using var wrongClient = server.Connect("wrong-token-wrong-token");
        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await wrongClient.Match.ListModelsAsync(new ListModelsRequest()));
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        // Health stays open; with the token (sent as call credentials) the call reaches its handler.
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await anonymous.CheckAsync());
        using var authorised = server.Connect(token);
        Assert.NotEmpty((await authorised.Match.ListModelsAsync(new ListModelsRequest())).Models);
    }

    [Fact]
    public async Task Shutdown_goes_NOT_SERVING_refuses_new_calls_and_lets_calls_in_flight_finish()
    {
        await using var server = await RunningServer.StartAsync("--Match:DrainTimeout=00:00:20");
        await server.WaitServingAsync();
        using var client = server.Connect();
        using var watch = client.Health.Watch(new HealthCheckRequest());
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

        // A call in flight: a reflection stream, kept open across the shutdown.
        using var inFlight = new V1.ServerReflection.ServerReflectionClient(client.Channel).ServerReflectionInfo();
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await inFlight.ResponseStream.MoveNext());

        var stopping = server.App.StopAsync();
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        Assert.False(stopping.IsCompleted);

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await client.Match.ListModelsAsync(new ListModelsRequest()));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Contains("shutting down", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await client.CheckAsync());

        // The call in flight still works, then ends normally; only then does the server stop.
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "match.v1.MatchService" });
        Assert.True(await inFlight.ResponseStream.MoveNext());
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, inFlight.ResponseStream.Current.MessageResponseCase);
        await inFlight.RequestStream.CompleteAsync();
        Assert.False(await inFlight.ResponseStream.MoveNext());
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_start_that_fails_ends_with_the_reason_and_exit_code_3()
    {
        // The real executable, over a repository whose only model names an .onnx file that is not there.
        var models = Directory.CreateTempSubdirectory("match-broken-models-");
        try
        {
            var broken = Directory.CreateDirectory(Path.Combine(models.FullName, "broken"));
            await File.WriteAllTextAsync(Path.Combine(broken.FullName, "config.json"), """
                { "version": "1", "role": "weight_adaptive", "source": "test", "file": "missing.onnx",
                  "input": { "name": "x", "dim": 4 }, "outputs": [{ "name": "y", "meaning": "weights", "dim": 4 }] }
                """);
            var server = MatchService.Testing.RepositoryRoot.BuiltAssembly("MatchService.Server", "MatchService.Server.dll");
            var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { server, "--Match:Port=0", "--Match:Metrics:Port=-1", $"--Pipeline:ModelsPath={models.FullName}" })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = System.Diagnostics.Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            await stdout;

            Assert.Equal(3, process.ExitCode);
            Assert.StartsWith("MatchService.Server: could not start: ", stderr, StringComparison.Ordinal);
            Assert.Contains("missing.onnx", stderr, StringComparison.Ordinal);
        }
        finally
        {
            models.Delete(recursive: true);
        }
    }

    [Fact]
    public void Invalid_configuration_names_each_key()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Hosting.MatchServerHost.Build(["--Match:Address=not-an-ip", "--Match:Tls:ClientCaPath=/nope.pem"]));
        Assert.Contains(ex.Failures, f => f.Contains("Match:Address 'not-an-ip'", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Match:Tls:ClientCaPath needs Match:Tls:CertificatePath", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inference_settings_bind_to_the_engine_and_invalid_ones_are_named()
    {
        var ex = Assert.Throws<OptionsValidationException>(() =>
            Hosting.MatchServerHost.Build(["--Inference:PackingThreads=-1", "--Inference:Session:GraphOptimizationLevel=5"]));
        Assert.Contains(ex.Failures, f => f.StartsWith("Inference:PackingThreads -1 must be", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.StartsWith("Inference:Session:GraphOptimizationLevel 5 must be", StringComparison.Ordinal));

        await using var app = Hosting.MatchServerHost.Build(
            ["--Inference:Session:AllowSpinning=true", "--Inference:Session:CpuMemoryArena=false", "--Inference:Session:IntraOpThreads=3", "--Inference:PackingThreads=2", "--Inference:UnhealthyAfterFailures=5"]);
        var bound = app.Services.GetRequiredService<IOptions<InferenceEngineOptions>>().Value;
        Assert.True(bound.Session.AllowSpinning);
        Assert.False(bound.Session.CpuMemoryArena);
        Assert.Equal(3, bound.Session.IntraOpThreads);
        Assert.Equal(99, bound.Session.GraphOptimizationLevel);
        Assert.Equal(2, bound.PackingThreads);
        Assert.Equal(5, bound.UnhealthyAfterFailures);
    }
}
