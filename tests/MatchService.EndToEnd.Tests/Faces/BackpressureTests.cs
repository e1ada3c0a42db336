using System.Text.Json.Nodes;
using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.EndToEnd.Tests.Products;
using MatchService.Server.Hosting;
using MatchService.Testing;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>Cancellation and a full queue, seen through the RPC layer and the engine's metrics.</summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class BackpressureTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    [ModelsFact]
    public async Task AVerifyClientThatCancelsMidStreamFreesItsQueuedWork()
    {
        // The detector's batches leave only when full (8) or after 100 s, so the three images wait in its queue for as
        // long as the test needs, however busy the machine: nothing depends on timing.
        var models = FaceModels(detector => detector["batching"] = new JsonObject
        {
            ["max_batch_size"] = 8,
            ["max_queue_delay_us"] = 100_000_000,
            ["max_queue_size"] = 64,
        });
        try
        {
            await using var server = await MatchServer.StartAsync(new Dictionary<string, string?>
            {
                ["Pipeline:ModelsPath"] = models,
                ["Pipeline:ModelTimeoutMs"] = "600000",
                ["Faces:CalibrationPath"] = fixture.CalibrationPath,
            });
            using var channel = server.CreateChannel();
            var client = new Contracts.V1.MatchService.MatchServiceClient(channel);
            var faces = fixture.Faces.Where(f => f.Sample >= 4).ToList();
            using var cancel = new CancellationTokenSource();
            using var call = client.Verify(cancellationToken: cancel.Token);
            var message = new VerifyRequest();
            for (var i = 0; i < 3; i++)
            {
                message.Images.Add(new VerifyImage { Image = new Image { Id = $"img{i}", Data = ByteString.CopyFrom(faces[i % faces.Count].Original) } });
            }

            // The images are queued as they arrive; the stream stays open (no CompleteAsync) and the client goes away.
            await call.RequestStream.WriteAsync(message);
            await Eventually.UntilAsync(() => DetectorMetricAsync(server, "match_inference_pending_items", ""), n => n == 3, "the three images queued at the detector");
            await cancel.CancelAsync();
            var error = await Assert.ThrowsAnyAsync<Exception>(() => call.ResponseAsync);
            output.WriteLine($"client saw {error.GetType().Name}: {error.Message}");

            // The batcher drops cancelled items when it next looks at its queue: another call's arrival wakes it.
            using var wake = new CancellationTokenSource();
            var face = faces[0].Original;
            var waking = channel.CompareAsync(CompareEvaluationTests.Request(face, "a", face, "b"), wake.Token);
            var dropped = await Eventually.UntilAsync(() => DetectorMetricAsync(server, "match_inference_dropped_items_total", ",reason=\"cancelled\""),
                n => n >= 3, "the cancelled call's items dropped");
            output.WriteLine($"match_inference_dropped_items_total{{model=\"face_detector\",reason=\"cancelled\"}} = {dropped}");
            Assert.Equal(3, dropped);
            await wake.CancelAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => waking);
        }
        finally
        {
            Directory.Delete(models, recursive: true);
        }
    }

    [ModelsFact]
    public async Task AFullQueueIsResourceExhaustedWithARetryPushback()
    {
        var models = FaceModels(detector => detector["batching"]!["max_queue_size"] = 1);
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

    /// <summary>A series of the face detector's, read from the server's /metrics (0 before the series exists).</summary>
    private static Task<double> DetectorMetricAsync(MatchServer server, string name, string moreLabels) =>
        MetricsScrape.ValueAsync(server.MetricsAddress, name, $"{{model=\"face_detector\"{moreLabels}}}");

    /// <summary>A copy of the face models (ONNX files linked) with the detector's config.json changed by <paramref name="change"/>.</summary>
    private static string FaceModels(Action<JsonNode> change)
    {
        var dir = Directory.CreateTempSubdirectory("match-face-models-").FullName;
        foreach (var name in new[] { "face_detector", "face_detector_fallback", "face_landmarks", "face_recognition" })
        {
            var from = Path.Combine(RepoPaths.Models, name);
            var to = Directory.CreateDirectory(Path.Combine(dir, name)).FullName;
            File.CreateSymbolicLink(Path.Combine(to, "model.onnx"), Path.Combine(from, "model.onnx"));
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(from, "config.json")))!;
            if (name == "face_detector")
            {
                change(config);
            }

            File.WriteAllText(Path.Combine(to, "config.json"), config.ToJsonString());
        }

        return dir;
    }
}
