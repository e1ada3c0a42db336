using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.EndToEnd.Tests.Products;
using MatchService.Server.Hosting;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>Cancellation and a full queue, seen through the RPC layer and the engine's metrics.</summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class BackpressureTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    [ModelsFact]
    public async Task AVerifyClientThatCancelsMidStreamFreesItsQueuedWork()
    {
        var before = await DroppedAsync(fixture.Server!);
        using var channel = fixture.Server!.CreateChannel();
        var faces = fixture.Faces.Where(f => f.Sample >= 4).ToList();
        using var cancel = new CancellationTokenSource();
        using var call = new Contracts.V1.MatchService.MatchServiceClient(channel).Verify(cancellationToken: cancel.Token);
        var message = new VerifyRequest();
        for (var i = 0; i < 32; i++)
        {
            message.Images.Add(new VerifyImage { Image = new Image { Id = $"img{i}", Data = ByteString.CopyFrom(faces[i % faces.Count].Original) } });
        }

        // The images are queued as they arrive; the stream stays open (no CompleteAsync) and the client goes away.
        await call.RequestStream.WriteAsync(message);
        await Task.Delay(150);
        await cancel.CancelAsync();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
        output.WriteLine($"client saw {error.GetType().Name}: {error.Message}");

        // The batcher drops cancelled items when it reaches them; give it a moment on a busy machine.
        double dropped = 0;
        for (var wait = 0; wait < 100 && dropped == 0; wait++)
        {
            await Task.Delay(100);
            dropped = await DroppedAsync(fixture.Server!) - before;
        }

        output.WriteLine($"match_inference_dropped_items_total{{reason=\"cancelled\"}} rose by {dropped}");
        Assert.True(dropped > 0, "no queued item of the cancelled call was dropped");
    }

    [ModelsFact]
    public async Task AFullQueueIsResourceExhaustedWithARetryPushback()
    {
        var models = TinyQueueModels();
        try
        {
            await using var server = await MatchServer.StartAsync(new Dictionary<string, string?>
            {
                ["Pipeline:ModelsPath"] = models,
                ["Faces:CalibrationPath"] = fixture.CalibrationPath,
            });
            using var channel = server.CreateChannel();
            var face = fixture.Faces.First(f => f.Sample == 4).Original;
            var calls = Enumerable.Range(0, 24).Select(i => channel.CompareAsync(CompareEvaluationTests.Request(face, $"a{i}", face, $"b{i}"))).ToList();
            var outcomes = await Task.WhenAll(calls.Select(async c =>
            {
                try
                {
                    await c;
                    return null;
                }
                catch (RpcException e)
                {
                    return e;
                }
            }));
            var exhausted = outcomes.OfType<RpcException>().Where(e => e.StatusCode == StatusCode.ResourceExhausted).ToList();
            output.WriteLine($"{outcomes.Count(o => o is null)} succeeded, {exhausted.Count} RESOURCE_EXHAUSTED; first: {exhausted.FirstOrDefault()?.Status.Detail}");
            Assert.NotEmpty(exhausted);
            Assert.All(outcomes.OfType<RpcException>(), e => Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode));
            foreach (var e in exhausted)
            {
                var pushback = e.Trailers.GetValue(RpcErrors.RetryPushbackTrailer);
                Assert.True(int.TryParse(pushback, out var ms) && ms > 0, $"trailer {RpcErrors.RetryPushbackTrailer} = '{pushback}'");
            }
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    /// <summary>Cancelled items the server's detector dropped, read from its /metrics.</summary>
    private static Task<double> DroppedAsync(MatchServer server) =>
        MetricsScrape.ValueAsync(server.MetricsAddress, "match_inference_dropped_items_total", "reason=\"cancelled\"");

    /// <summary>A copy of the face models (ONNX files linked) whose detector queue holds one item.</summary>
    private static string TinyQueueModels()
    {
        var dir = Directory.CreateTempSubdirectory("match-tiny-queue-").FullName;
        foreach (var name in new[] { "face_detector", "face_detector_fallback", "face_landmarks", "face_recognition" })
        {
            var from = Path.Combine(RepoPaths.Models, name);
            var to = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
            File.CreateSymbolicLink(Path.Combine(to, "model.onnx"), Path.Combine(from, "model.onnx"));
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(from, "config.json")))!;
            if (name == "face_detector")
            {
                config["batching"]!["max_queue_size"] = 1;
            }

            File.WriteAllText(Path.Combine(to, "config.json"), config.ToJsonString());
        }

        return dir;
    }
}
