using System.Diagnostics;
using System.Text;
using MatchService.Inference.Batching;
using MatchService.Inference.Telemetry;
using Prometheus;
using MatchService.Inference.Tests.Support;

namespace MatchService.Inference.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task EngineTraffic_IsCountedInTheHostsRegistry_AndTheScrapePassesPromtool()
    {
        var registry = Metrics.NewCustomRegistry();
        var other = Metrics.NewCustomRegistry();

        // Real engine traffic: items, batches, a rejection and a drop. The queue (2) fills before a batch would (3),
        // and the delay lets the last two leave together.
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(4,
            """{ "max_batch_size": 3, "max_queue_delay_us": 300000, "max_queue_size": 2, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(4));
        await using (var engine = await repo.StartAsync(new InferenceInstruments(registry)))
        {
            await engine.WarmUpAsync();
            var model = engine.GetModel("affine");
            using var cts = new CancellationTokenSource();
            var cancelled = model.InferAsync(new DenseInput(new float[4]), cancellationToken: cts.Token);
            var kept = model.InferAsync(new DenseInput(new float[4]));
            await Assert.ThrowsAsync<QueueFullException>(() => model.InferAsync(new DenseInput(new float[4])));
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
            await Task.WhenAll(kept, model.InferAsync(new DenseInput(new float[4])));

            using var scrape = new MemoryStream();
            await registry.CollectAndExportAsTextAsync(scrape);
            var body = Encoding.UTF8.GetString(scrape.ToArray());

            Assert.Contains("match_inference_items_total{model=\"affine\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_rejected_items_total{model=\"affine\",reason=\"queue_full\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_dropped_items_total{model=\"affine\",reason=\"cancelled\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_batch_size_bucket{model=\"affine\",le=\"+Inf\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_pending_items{model=\"affine\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_instance_healthy{model=\"affine\",instance=\"cpu/0\"} 1", body, StringComparison.Ordinal);

            // Another host's registry sees none of it.
            using var otherScrape = new MemoryStream();
            await other.CollectAndExportAsTextAsync(otherScrape);
            Assert.DoesNotContain("affine", Encoding.UTF8.GetString(otherScrape.ToArray()), StringComparison.Ordinal);

            var (code, output) = await PromtoolCheckAsync(body);
            Assert.True(code == 0, $"promtool check metrics exited {code}:\n{output}\n--- scrape ---\n{body}");
        }
    }

    private static async Task<(int Code, string Output)> PromtoolCheckAsync(string body)
    {
        var psi = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        await p.StandardInput.WriteAsync(body);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + await stderr);
    }
}
