using System.Diagnostics;
using System.Globalization;
using MatchService.Inference.Batching;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// `dotnet run -c Release --project tests/MatchService.Benchmarks -- engine [--seconds 3] [--width 32] [--repeats 2]
/// [--threads N] [--delay-us 2000]`: raw ONNX Runtime throughput at batch 1/8/32 (the ceiling), then the dynamic
/// batcher with 1/8/32/64 closed-loop callers against it, rejection latency under overload, and fixed delay vs
/// latency_slo_ms — all in one run, so the ratios compare like with like.
/// </summary>
/// <remarks>
/// Two comparisons tell the engine's own cost apart from the configured delay. With no delay
/// (<c>max_queue_delay_us</c> 0) batches form from whatever waits when the worker is free, and the batcher is compared
/// with raw ONNX Runtime at the batch size it actually formed. With the delay, a closed loop of fewer callers than
/// <c>max_batch_size</c> idles the delay on every batch by design, so it is compared with raw ONNX Runtime plus that
/// delay: <c>batch / (t(batch) + delay)</c>.
/// </remarks>
internal static class EngineBenchmark
{
    private static readonly int[] RawBatches = [1, 8, 32];
    private static readonly int[] Callers = [1, 8, 32, 64];

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 3.0);
        var width = (int)Arg(args, "--width", 32);
        var repeats = (int)Arg(args, "--repeats", 2);
        var threads = (int)Arg(args, "--threads", Environment.ProcessorCount);
        var delayUs = (int)Arg(args, "--delay-us", 2000);
        var duration = TimeSpan.FromSeconds(seconds);

        var (onnx, gmacs) = BenchmarkModel.Build(width, repeats);
        var root = Path.Combine(Path.GetTempPath(), "match-engine-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(Path.Combine(root, "bench"));
        var modelPath = Path.Combine(root, "bench", "model.onnx");
        await File.WriteAllBytesAsync(modelPath, onnx);
        Console.WriteLine($"model: 150x150x3 CNN, {gmacs:F2} GMAC ({2 * gmacs:F2} GFLOP) per image; {Environment.ProcessorCount} cores, intra-op threads {threads}; {seconds:F0} s per point");

        try
        {
            // 1. The ceiling: ONNX Runtime alone, a batch at a time (other batch sizes are measured when a sweep forms them).
            var raw = new RawCeiling(modelPath, threads, duration);
            Console.WriteLine("\n== raw ONNX Runtime ==\nbatch  items/s  ms/batch");
            foreach (var b in RawBatches)
            {
                var r = raw.At(b);
                Console.WriteLine($"{b,5}  {r.ItemsPerSecond,7:F1}  {r.MsPerBatch,8:F1}");
            }

            // 2. The engine's own cost: no delay, compared with raw ONNX Runtime at the batch size that formed.
            Console.WriteLine("\n== dynamic batcher, no delay (max_queue_delay_us 0): the engine's own overhead ==");
            await Sweep(root, Config(0, null, 4096), threads, duration, raw, 0, compare: true);

            // 3. The batcher as configured in production, with the delay.
            Console.WriteLine($"\n== dynamic batcher: max_batch_size 32, max_queue_delay_us {delayUs} ==");
            var fixedDelay = await Sweep(root, Config(delayUs, null, 4096), threads, duration, raw, delayUs / 1000.0, compare: true);

            // 4. Rejection latency: a full queue answers at once.
            await MeasureRejection(root, threads);

            // 5. Fixed delay vs latency SLO, at the p99 the fixed delay achieved with 32 callers.
            var slo = Math.Round(fixedDelay[32].P99Ms, 1);
            Console.WriteLine($"\n== latency_slo_ms {slo.ToString(CultureInfo.InvariantCulture)} (the fixed delay's p99 at 32 callers) ==");
            await Sweep(root, Config(delayUs, slo, 4096), threads, duration, raw, delayUs / 1000.0, compare: false);
            Console.WriteLine($"\n== latency_slo_ms {Math.Round(slo * 2, 1).ToString(CultureInfo.InvariantCulture)} (twice that) ==");
            await Sweep(root, Config(delayUs, Math.Round(slo * 2, 1), 4096), threads, duration, raw, delayUs / 1000.0, compare: false);
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Config(int delayUs, double? sloMs, int queue, int maxBatch = 32) => $$"""
        {
          "version": "1", "role": "face_embedder", "source": "test", "file": "model.onnx",
          "input": { "name": "image", "width": 150, "height": 150, "channels": 3 },
          "outputs": [{ "name": "embedding", "meaning": "embedding", "dim": 128 }],
          "batching": { "max_batch_size": {{maxBatch}}, "max_queue_delay_us": {{delayUs}}, "max_queue_size": {{queue}}, "timeout_ms": 60000,
                        "latency_slo_ms": {{(sloMs is { } s ? s.ToString(CultureInfo.InvariantCulture) : "null")}} },
          "instances": [{ "device": "cpu", "count": 1 }]
        }
        """;

    private static async Task<Dictionary<int, Point>> Sweep(string root, string config, int threads, TimeSpan duration,
        RawCeiling raw, double delayMs, bool compare)
    {
        await File.WriteAllTextAsync(Path.Combine(root, "bench", "config.json"), config);
        var repo = await ModelRepository.LoadAsync(root);
        var points = new Dictionary<int, Point>();
        await using (var engine = await InferenceEngine.StartAsync(repo, new InferenceEngineOptions { Session = new() { IntraOpThreads = threads } }))
        {
            await engine.WarmUpAsync();
            var model = engine.GetModel("bench");
            var image = new DenseInput(Image());
            foreach (var c in Callers)
            {
                points[c] = await Drive(model, image, c, duration);
            }
        }

        // Raw figures for the batch sizes that formed are measured after the engine stopped, so nothing competes.
        // Without a delay batch sizes vary from one batch to the next, so no single t(batch) bounds the p99.
        Console.WriteLine(!compare ? "callers  items/s  mean batch  p50 ms  p99 ms"
            : delayMs == 0 ? "callers  items/s  mean batch  p50 ms  p99 ms  vs raw@batch"
            : "callers  items/s  mean batch  p50 ms  p99 ms  vs raw@batch  vs raw+delay  p99 bound (delay + 2 t(batch))");
        foreach (var (c, p) in points)
        {
            var line = $"{c,7}  {p.ItemsPerSecond,7:F1}  {p.MeanBatch,10:F1}  {p.P50Ms,6:F1}  {p.P99Ms,6:F1}";
            if (compare)
            {
                var b = Math.Clamp((int)Math.Round(p.MeanBatch), 1, 32);
                var r = raw.At(b);
                // Fewer callers than max_batch_size never fill a batch: each one waits out the delay.
                var idle = b < 32 ? delayMs : 0;
                var withDelay = b / ((r.MsPerBatch + idle) / 1000);
                var bound = delayMs + (2 * r.MsPerBatch);
                line += $"  {100 * p.ItemsPerSecond / r.ItemsPerSecond,6:F0}% @{b,-3}";
                if (delayMs > 0)
                {
                    line += $"  {100 * p.ItemsPerSecond / withDelay,11:F0}%  {bound,7:F1} {(p.P99Ms <= bound ? "met" : "MISSED")}";
                }
            }

            Console.WriteLine(line);
        }

        var speedup = points[64].ItemsPerSecond / points[1].ItemsPerSecond;
        Console.WriteLine($"batching speedup (64 callers vs 1): {speedup:F2}x");
        return points;
    }

    private static async Task MeasureRejection(string root, int threads)
    {
        // Queue of 16 that never dispatches (delay 60 s, batch 32): every further call is rejected.
        await File.WriteAllTextAsync(Path.Combine(root, "bench", "config.json"), Config(60_000_000, null, 16));
        var repo = await ModelRepository.LoadAsync(root);
        await using var engine = await InferenceEngine.StartAsync(repo, new InferenceEngineOptions { Session = new() { IntraOpThreads = threads } });
        var model = engine.GetModel("bench");
        var image = new DenseInput(Image());
        using var cts = new CancellationTokenSource();
        var queued = Enumerable.Range(0, 16).Select(_ => model.InferAsync(image, cancellationToken: cts.Token)).ToArray();
        var us = new double[20_000];
        for (var i = 0; i < us.Length; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            var t = model.InferAsync(image);
            us[i] = Stopwatch.GetElapsedTime(t0).TotalMicroseconds;
            if (!t.IsFaulted || t.Exception!.InnerException is not QueueFullException)
            {
                throw new InvalidOperationException("expected an immediate QueueFullException");
            }
        }

        Array.Sort(us);
        Console.WriteLine($"\n== overload: queue full ==\nrejections: {us.Length}, p50 {us[us.Length / 2]:F1} us, p99 {us[(int)(us.Length * 0.99)]:F1} us, max {us[^1]:F1} us (goal: < 1000 us)");
        await cts.CancelAsync();
        await Task.WhenAll(queued.Select(q => q.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    private static async Task<Point> Drive(ModelRunner model, IBatchInput input, int callers, TimeSpan duration)
    {
        var items0 = model.Statistics.Items;
        var batches0 = model.Statistics.Batches;
        var latencies = new List<double>[callers];
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var mine = latencies[c] = [];
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var t0 = Stopwatch.GetTimestamp();
                await model.InferAsync(input);
                mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        })));
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        var items = model.Statistics.Items - items0;
        var batches = model.Statistics.Batches - batches0;
        return new Point(all.Length / elapsed, batches > 0 ? (double)items / batches : 0,
            all[all.Length / 2], all[Math.Min(all.Length - 1, (int)Math.Ceiling(all.Length * 0.99) - 1)]);
    }

    /// <summary>Raw ONNX Runtime throughput per batch size, measured once each on first use.</summary>
    private sealed class RawCeiling(string modelPath, int threads, TimeSpan duration)
    {
        private readonly Dictionary<int, (double ItemsPerSecond, double MsPerBatch)> _measured = [];

        public (double ItemsPerSecond, double MsPerBatch) At(int batch)
        {
            if (!_measured.TryGetValue(batch, out var r))
            {
                _measured[batch] = r = Measure(batch);
            }

            return r;
        }

        private (double, double) Measure(int batch)
        {
            using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1 };
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
            using var session = new InferenceSession(modelPath, options);
            var per = 150 * 150 * 3;
            var data = new float[batch * per];
            var image = Image();
            for (var i = 0; i < batch; i++)
            {
                image.CopyTo(data, i * per);
            }

            using var input = OrtValue.CreateTensorValueFromMemory(data, [batch, 150, 150, 3]);
            using var runOptions = new RunOptions();
            string[] inputNames = ["image"], outputNames = ["embedding"];
            using (session.Run(runOptions, inputNames, [input], outputNames))
            {
            }

            var runs = 0;
            var started = Stopwatch.GetTimestamp();
            while (Stopwatch.GetElapsedTime(started) < duration || runs < 3)
            {
                using var outputs = session.Run(runOptions, inputNames, [input], outputNames);
                runs++;
            }

            var s = Stopwatch.GetElapsedTime(started).TotalSeconds;
            return (runs * batch / s, 1000 * s / runs);
        }
    }

    private static float[] Image()
    {
        var rng = new Random(42);
        return Enumerable.Range(0, 150 * 150 * 3).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    private static double Arg(string[] args, string name, double fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private sealed record Point(double ItemsPerSecond, double MeanBatch, double P50Ms, double P99Ms);
}
