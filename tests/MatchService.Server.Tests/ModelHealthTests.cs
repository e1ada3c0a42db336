using Grpc.Health.V1;
using MatchService.Inference.Batching;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using MatchService.ModelForge.Graph;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using Microsoft.Extensions.Logging.Abstractions;
using MatchService.Testing;

namespace MatchService.Server.Tests;

/// <summary>An instance that keeps failing turns the service NOT_SERVING; a recovered one turns it back.</summary>
public sealed class ModelHealthTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "match-health-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Failing_instance_turns_the_service_NOT_SERVING_and_recovery_SERVING()
    {
        WriteFragileModel(Path.Combine(_root, "fragile"));
        var repository = await ModelRepository.LoadAsync(_root);
        await using var engine = await InferenceEngine.StartAsync(repository, new InferenceEngineOptions { UnhealthyAfterFailures = 2 });
        await engine.WarmUpAsync();
        var health = new MatchHealthService();
        health.Publish(MatchHealthService.MatchServiceName, HealthCheckResponse.Types.ServingStatus.Serving);
        using var _ = ModelHealthReporter.Follow(engine, health, NullLogger.Instance);
        var model = engine.GetModel("fragile");

        // Values of 10 and more index past the model's table: each such run fails.
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<InferenceFailedException>(() => model.InferAsync(new DenseInput(new float[] { 1, 2, 3, 50 })));
        }
        // The worker marks the instance after it has failed the batch's callers, so the status follows a moment later.
        await WaitForStatusAsync(health, HealthCheckResponse.Types.ServingStatus.NotServing);
        Assert.False(engine.IsReady);

        var ok = await model.InferAsync(new DenseInput(new float[] { 1, 2, 3, 4 }));
        Assert.Equal([2f, 4, 6, 8], ok["y"].Data);
        await WaitForStatusAsync(health, HealthCheckResponse.Types.ServingStatus.Serving);
        Assert.True(engine.IsReady);
    }

    private static async Task WaitForStatusAsync(MatchHealthService health, HealthCheckResponse.Types.ServingStatus expected)
    {
        var request = new HealthCheckRequest { Service = MatchHealthService.MatchServiceName };
        await Eventually.UntilAsync(async () => (await health.Check(request, null!)).Status, status => status == expected, $"health {expected}");
    }

    /// <summary>y = 2x + table[(int)x] with a 10-entry zero table: fine below 10, a Gather error above.</summary>
    private static void WriteFragileModel(string dir)
    {
        var g = new OnnxGraphBuilder("fragile");
        var x = g.Input("x", 4);
        var index = g.Node("Cast", [x], "index", Attr.Count("to", 7));
        var looked = g.Node("Gather", [g.Constant("table", new float[10], 10), index], "looked", Attr.Count("axis", 0));
        g.Output(g.Node("Add", [g.Node("Mul", [x, g.Scalar("two", 2f)]), looked]), "y", 4);
        OnnxGraphBuilder.Save(g.Build("MatchService.Server.Tests", "fails on values >= 10"), Path.Combine(dir, "model.onnx"));
        File.WriteAllText(Path.Combine(dir, "config.json"), """
            {
              "version": "1", "role": "weight_adaptive", "source": "test", "file": "model.onnx",
              "input": { "name": "x", "dim": 4 },
              "outputs": [{ "name": "y", "meaning": "weights", "dim": 4 }],
              "batching": { "max_batch_size": 1, "max_queue_delay_us": 0, "timeout_ms": 60000 },
              "instances": [{ "device": "cpu", "count": 1 }]
            }
            """);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
