using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using MatchService.Inference.Batching;
using MatchService.Metrics.Exposition;
using MatchService.Metrics.Hosting;
using MatchService.Metrics.Instruments;
using MatchService.Inference.Tests.Support;

namespace MatchService.Inference.Tests;

public sealed class MetricsTests
{
    [Fact]
    public void TextFormat_EscapesAndWritesCumulativeHistograms()
    {
        var families = new[]
        {
            new MetricFamily("match_x_total", "Line one\nback\\slash", MetricType.Counter, [],
                [new MetricSeries([new("path", "C:\\dir \"q\"\nnext")], 3)]),
            new MetricFamily("match_h_seconds", "H.", MetricType.Histogram, [0.1, 1],
                [new MetricSeries([new("model", "m")], 0, [2, 1, 4], 12.5, 7)]),
        };
        using var w = new StringWriter();
        PrometheusTextFormat.Write(w, families);
        Assert.Equal("""
            # HELP match_x_total Line one\nback\\slash
            # TYPE match_x_total counter
            match_x_total{path="C:\\dir \"q\"\nnext"} 3
            # HELP match_h_seconds H.
            # TYPE match_h_seconds histogram
            match_h_seconds_bucket{model="m",le="0.1"} 2
            match_h_seconds_bucket{model="m",le="1"} 3
            match_h_seconds_bucket{model="m",le="+Inf"} 7
            match_h_seconds_sum{model="m"} 12.5
            match_h_seconds_count{model="m"} 7

            """.ReplaceLineEndings("\n"), w.ToString());
    }

    [Fact]
    public void Collector_AggregatesCountersGaugesAndHistograms()
    {
        var meterName = "MatchService.Test." + Guid.NewGuid().ToString("N");
        using var collector = new MetricsCollector(meterName);
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("match_things", null, "Things.");
        var histogram = meter.CreateHistogram<double>("match_wait_seconds", "s", "Waits.", advice: new() { HistogramBucketBoundaries = [1, 2] });
        var level = 5;
        meter.CreateObservableGauge("match_level", () => level, null, "Level.");

        counter.Add(2, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(3, new KeyValuePair<string, object?>("kind", "a"));
        counter.Add(1, new KeyValuePair<string, object?>("kind", "b"));
        foreach (var v in new[] { 0.5, 1.0, 1.5, 9.0 })
        {
            histogram.Record(v);
        }

        level = 7;
        var families = collector.Collect().ToDictionary(f => f.Name);

        var things = families["match_things_total"];
        Assert.Equal(MetricType.Counter, things.Type);
        Assert.Equal([5.0, 1.0], things.Series.Select(s => s.Value));
        Assert.Equal(7, Assert.Single(families["match_level"].Series).Value);
        var wait = Assert.Single(families["match_wait_seconds"].Series);
        Assert.Equal([2L, 1, 1], wait.BucketCounts!); // le=1 is inclusive: 0.5 and 1.0
        Assert.Equal(12.0, wait.Sum);
        Assert.Equal(4, wait.Count);
    }

    [Fact]
    public async Task RealScrape_OverKestrel_PassesPromtool()
    {
        using var collector = new MetricsCollector("MatchService");
        using var rpc = new RpcMetrics();
        using var imaging = new ImagingMetrics();
        using var matching = new MatchingMetrics();
        rpc.Record("match.v1.MatchService/Verify", "OK", 0.012);
        rpc.Record("match.v1.MatchService/Verify", "INVALID_ARGUMENT", 0.001);
        imaging.RecordDecode("jpeg", 0.003);
        imaging.RecordDecode("png", 0.001, ok: false);
        matching.RecordVerdict("CompareWithConfidence", "undetermined");
        matching.RecordSearchSkipped("non_commodity");

        // Real engine traffic: items, batches, a rejection and a drop. The queue (2) fills before a batch would (3),
        // and the delay lets the last two leave together.
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(4,
            """{ "max_batch_size": 3, "max_queue_delay_us": 300000, "max_queue_size": 2, "timeout_ms": 60000 }""",
            """[{ "name": "y", "meaning": "embedding" }]"""), TestModels.Affine(4));
        await using (var engine = await repo.StartAsync())
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

            await using var server = await MetricsServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), collector);
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri(server.Address, "/metrics"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
            var body = await response.Content.ReadAsStringAsync();

            Assert.Contains("match_rpc_requests_total{code=\"OK\",method=\"match.v1.MatchService/Verify\"} 1", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_rejected_items_total{model=\"affine\",reason=\"queue_full\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_dropped_items_total{model=\"affine\",reason=\"cancelled\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_batch_size_bucket{model=\"affine\",le=\"+Inf\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_pending_items{model=\"affine\"}", body, StringComparison.Ordinal);
            Assert.Contains("match_inference_instance_healthy{instance=\"cpu/0\",model=\"affine\"} 1", body, StringComparison.Ordinal);

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
