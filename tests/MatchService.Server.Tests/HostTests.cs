using Grpc.Health.V1;
using MatchService.Client;
using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Client;
using MatchService.Inference.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using V1 = Grpc.Reflection.V1;

namespace MatchService.Server.Tests;

/// <summary>The host: placeholders, readiness, bearer token and graceful shutdown.</summary>
public sealed class HostTests
{
    private static async Task WaitServingAsync(MatchServiceClient client)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await client.CheckHealthAsync() == HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("the server never reported SERVING");
    }

    [Fact]
    public async Task ListModels_reports_every_loaded_model_with_its_contract_once_serving()
    {
        await using var server = await RunningServer.StartAsync();
        var client = server.Client();
        await WaitServingAsync(client);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await client.CheckHealthAsync("match.v1.MatchService"));

        var models = (await client.ListModelsAsync()).Models;
        // Folders without a config.json (models/alternatives/) are not served.
        var expected = Directory.GetDirectories(RunningServer.ModelsPath).Where(d => File.Exists(Path.Combine(d, "config.json"))).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, models.Select(m => m.Name).ToArray());
        Assert.All(models, m =>
        {
            Assert.True(m.Ready, m.Name);
            Assert.Equal(["cpu x1"], m.Devices);
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
        var anonymous = server.Client();
        await WaitServingAsync(anonymous);
        var ex = await Assert.ThrowsAsync<RpcException>(() => anonymous.ListModelsAsync());
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
        Assert.Contains("authorization: Bearer", ex.Status.Detail, StringComparison.Ordinal);
        var wrong = await Assert.ThrowsAsync<RpcException>(() => server.Client("wrong-token-wrong-token").ListModelsAsync());
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        // With the token the call reaches its handler.
        var authorised = await server.Client(token).ListModelsAsync();
        Assert.NotEmpty(authorised.Models);
    }

    [Fact]
    public async Task Shutdown_goes_NOT_SERVING_refuses_new_calls_and_lets_calls_in_flight_finish()
    {
        await using var server = await RunningServer.StartAsync("--Match:DrainTimeout=00:00:20");
        var client = server.Client();
        await WaitServingAsync(client);
        var method = GrpcMethod.Create<V1.ServerReflectionRequest, V1.ServerReflectionResponse>(
            V1.ReflectionReflection.Descriptor.Services[0], "ServerReflectionInfo");
        using var watch = client.WatchHealth();
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

        // A call in flight: a reflection stream, kept open across the shutdown.
        using var inFlight = client.Channel.AsyncDuplexStreamingCall(method);
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await inFlight.ResponseStream.MoveNext());

        var stopping = server.App.StopAsync();
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        Assert.False(stopping.IsCompleted);

        var refused = await Assert.ThrowsAsync<RpcException>(() => client.ListModelsAsync());
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await client.CheckHealthAsync());

        // The call in flight still works, then ends normally; only then does the server stop.
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "match.v1.MatchService" });
        Assert.True(await inFlight.ResponseStream.MoveNext());
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, inFlight.ResponseStream.Current.MessageResponseCase);
        await inFlight.RequestStream.CompleteAsync();
        Assert.False(await inFlight.ResponseStream.MoveNext());
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));
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
            ["--Inference:Session:AllowSpinning=true", "--Inference:Session:IntraOpThreads=3", "--Inference:PackingThreads=2", "--Inference:UnhealthyAfterFailures=5"]);
        var bound = app.Services.GetRequiredService<IOptions<InferenceEngineOptions>>().Value;
        Assert.True(bound.Session.AllowSpinning);
        Assert.Equal(3, bound.Session.IntraOpThreads);
        Assert.Equal(99, bound.Session.GraphOptimizationLevel);
        Assert.Equal(2, bound.PackingThreads);
        Assert.Equal(5, bound.UnhealthyAfterFailures);
    }
}
