using System.Diagnostics;
using System.Globalization;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using MatchService.Inference.Runtime;
using MatchService.Server.Models;
using MatchService.Server.Pipeline;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// `dotnet run -c Release --project tests/MatchService.Benchmarks -- engine [options]` (<see cref="EngineBenchmarkOptions.Usage"/>):
/// raw ONNX Runtime throughput at batch 1/8/32 (the ceiling), then the dynamic batcher with 1/8/32/64 closed-loop
/// callers against it, rejection latency under overload, and fixed delay vs latency_slo_ms — all in one run, so the
/// ratios compare like with like.
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
    private const int MaxBatch = 32;
    private static readonly int[] RawBatches = [1, 8, MaxBatch];
    private static readonly int[] Callers = [1, 8, 32, 64];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(EngineBenchmarkOptions.Usage);
            return 0;
        }

        EngineBenchmarkOptions options;
        try
        {
            options = EngineBenchmarkOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"engine: {e.Message}\n{EngineBenchmarkOptions.Usage}");
            return 2;
        }

        var root = Path.Combine(Path.GetTempPath(), "match-engine-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(root);
        try
        {
            var model = await LoadModelAsync(options, root);
            if (model.Input.DType != MatchService.Imaging.Tensors.TensorElementType.Float32)
            {
                await Console.Error.WriteLineAsync($"engine: {model.ConfigPath}: the benchmark feeds float32 items; this model takes {model.Input.DType}");
                return 2;
            }

            model = model with { Instances = options.Instances, FallbackDevice = null };
            using var photo = options.PhotoPath is { } path ? new ImageDecoder().Decode(await File.ReadAllBytesAsync(path), imageId: path) : null;
            var inputs = photo is null ? [new DenseInput(RandomItem(model.Input.ElementsPerItem))] : PhotoBoxes(photo.Image, model);
            var item = new float[model.Input.ElementsPerItem];
            inputs[0].WriteTo(item);
            var devices = string.Join(", ", options.Instances.Select(i => $"{i.Device} x{i.Count}"));
            Console.WriteLine($"instances: {devices}; {Environment.ProcessorCount} cores, intra-op threads per CPU instance {options.Threads}, spinning {(options.AllowSpinning ? "on" : "off")}; {options.Duration.TotalSeconds:F0} s per point");

            // 0. A GPU is measured only once it is shown to run CUDA and to agree with the CPU.
            if (options.DeviceCheck && !await DeviceAgreement.CheckAsync(model, options.Instances, options.Session, inputs))
            {
                await Console.Error.WriteLineAsync("engine: the device check failed (above); no figures");
                return 1;
            }

            // 1. The ceiling: ONNX Runtime alone, a batch at a time (other batch sizes are measured when a sweep forms them).
            var raw = new RawCeiling(model, options.Instances, options.Session, item, options.Duration);
            Console.WriteLine("\n== raw ONNX Runtime ==\nbatch  items/s  ms/batch");
            foreach (var b in RawBatches)
            {
                var r = raw.At(b);
                Console.WriteLine($"{b,5}  {r.ItemsPerSecond,7:F1}  {r.MsPerBatch,8:F1}");
            }

            var bench = new Bench(model, inputs, options, raw);

            // 2. The engine's own cost: no delay, compared with raw ONNX Runtime at the batch size that formed.
            Console.WriteLine("\n== dynamic batcher, no delay (max_queue_delay_us 0): the engine's own overhead ==");
            await bench.SweepAsync(Batching(0, null, 4096), compare: true);

            // 3. The batcher as configured in production, with the delay.
            Console.WriteLine($"\n== dynamic batcher: max_batch_size {MaxBatch}, max_queue_delay_us {options.DelayUs} ==");
            var fixedDelay = await bench.SweepAsync(Batching(options.DelayUs, null, 4096), compare: true);

            // 4. Rejection latency: a full queue answers at once.
            await bench.MeasureRejectionAsync();

            // 5. Fixed delay vs latency SLO, at the p99 the fixed delay achieved with 32 callers.
            var slo = Math.Round(fixedDelay[32].P99Ms, 1);
            foreach (var (target, why) in new[] { (slo, "the fixed delay's p99 at 32 callers"), (Math.Round(slo * 2, 1), "twice that") })
            {
                Console.WriteLine($"\n== latency_slo_ms {target.ToString(CultureInfo.InvariantCulture)} ({why}) ==");
                await bench.SweepAsync(Batching(options.DelayUs, target, 4096), compare: false);
            }

            // 6. Packing a batch on the worker alone vs on every core (one instance, so that batches run one at a time).
            if (options.Instances.Sum(i => i.Count) == 1)
            {
                await bench.ComparePackingAsync(Batching(0, null, 4096));
            }

            return 0;
        }
        catch (Exception e) when (e is DeviceUnavailableException or ModelConfigException or IOException or ImageDecodeException)
        {
            await Console.Error.WriteLineAsync($"engine: {e.Message}");
            return 2;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The model under test: a config from <c>--model</c>, or the generated CNN written under <paramref name="root"/>.</summary>
    private static async Task<ModelConfig> LoadModelAsync(EngineBenchmarkOptions options, string root)
    {
        if (options.ModelDirectory is { } dir)
        {
            var config = await ModelConfigFile.ReadAsync(Path.Combine(dir, "config.json"));
            Console.WriteLine($"model: {config.ModelPath} ({config.Role}), input {config.Input.Name} [{string.Join('x', config.Input.ItemShape)}]");
            return config;
        }

        var (onnx, gmacs) = BenchmarkModel.Build(options.Width, options.Repeats);
        var modelDir = Path.Combine(root, "bench");
        Directory.CreateDirectory(modelDir);
        await File.WriteAllBytesAsync(Path.Combine(modelDir, "model.onnx"), onnx);
        var configPath = Path.Combine(modelDir, "config.json");
        await File.WriteAllTextAsync(configPath, ModelConfigFile.ToJson(new ModelConfig
        {
            Version = "1",
            Role = ModelRole.FaceEmbedder,
            Source = ModelSource.Test,
            File = "model.onnx",
            Input = new InputSpec { Name = "image", Width = BenchmarkModel.Size, Height = BenchmarkModel.Size },
            Outputs = [new OutputSpec("embedding", OutputMeaning.Embedding, BenchmarkModel.EmbeddingDim)],
        }));
        Console.WriteLine($"model: generated 150x150x3 CNN, {gmacs:F2} GMAC ({2 * gmacs:F2} GFLOP) per image");
        return await ModelConfigFile.ReadAsync(configPath);
    }

    private static BatchingSpec Batching(int delayUs, double? sloMs, int queue) => new()
    {
        MaxBatchSize = MaxBatch,
        MaxQueueDelayUs = delayUs,
        MaxQueueSize = queue,
        TimeoutMs = 60_000,
        LatencySloMs = sloMs,
    };

    /// <summary>Sixteen face-sized square boxes across the photo, each packed per the model's input block.</summary>
    private static IBatchInput[] PhotoBoxes(RgbImage image, ModelConfig model)
    {
        var spec = model.ToTensorSpec();
        var side = Math.Max(16, Math.Min(image.Width, image.Height) / 4);
        Console.WriteLine($"items: {side}x{side} boxes of a {image.Width}x{image.Height} photo, packed to {spec.Width}x{spec.Height} {spec.Layout}");
        return [.. Enumerable.Range(0, 16).Select(i => new RegionInput(image,
            new PixelBox((i % 4) * (image.Width - side) / 3, (i / 4) * (image.Height - side) / 3, side, side), BorderMode.Constant, spec))];
    }

    private static float[] RandomItem(int elements)
    {
        var rng = new Random(42);
        return Enumerable.Range(0, elements).Select(_ => (float)rng.NextDouble()).ToArray();
    }

    /// <summary>One model driven through the engine under different batching settings.</summary>
    private sealed class Bench(ModelConfig model, IBatchInput[] inputs, EngineBenchmarkOptions options, RawCeiling raw)
    {
        public async Task<Dictionary<int, Point>> SweepAsync(BatchingSpec batching, bool compare)
        {
            var points = new Dictionary<int, Point>();
            await using (var engine = await StartAsync(batching))
            {
                await engine.WarmUpAsync();
                var compute = new ComputeTimeListener(engine.GetModel(model.Name).Instruments);
                foreach (var c in Callers)
                {
                    points[c] = await DriveAsync(engine.GetModel(model.Name), c, compute);
                }
            }

            // Raw figures for the batch sizes that formed are measured after the engine stopped, so nothing competes.
            // Without a delay batch sizes vary from one batch to the next, so no single t(batch) bounds the p99.
            var delayMs = batching.MaxQueueDelayUs / 1000.0;
            Console.WriteLine(!compare ? "callers  items/s  mean batch  p50 ms  p99 ms"
                : delayMs == 0 ? "callers  items/s  mean batch  p50 ms  p99 ms  vs raw@batch"
                : "callers  items/s  mean batch  p50 ms  p99 ms  vs raw@batch  vs raw+delay  t(batch) raw/run ms  p99 bound (delay + 2 t): raw t / run t");
            foreach (var (c, p) in points)
            {
                var line = $"{c,7}  {p.ItemsPerSecond,7:F1}  {p.MeanBatch,10:F1}  {p.P50Ms,6:F1}  {p.P99Ms,6:F1}";
                if (compare)
                {
                    var b = Math.Clamp((int)Math.Round(p.MeanBatch), 1, MaxBatch);
                    var r = raw.At(b);
                    line += $"  {100 * p.ItemsPerSecond / r.ItemsPerSecond,6:F0}% @{b,-3}";
                    if (delayMs > 0)
                    {
                        // Fewer callers than max_batch_size never fill a batch: each one waits out the delay.
                        var idle = b < MaxBatch ? delayMs : 0;
                        var withDelay = b / ((r.MsPerBatch + idle) / 1000) * raw.Sessions;
                        line += $"  {100 * p.ItemsPerSecond / withDelay,11:F0}%  {r.MsPerBatch,8:F1} / {p.ComputeMs,-8:F1}"
                            + $"  {Bound(delayMs, r.MsPerBatch, p.P99Ms)} / {Bound(delayMs, p.ComputeMs, p.P99Ms)}";
                    }
                }

                Console.WriteLine(line);
            }

            Console.WriteLine($"batching speedup (64 callers vs 1): {points[64].ItemsPerSecond / points[1].ItemsPerSecond:F2}x");
            return points;
        }

        public async Task MeasureRejectionAsync()
        {
            // Queue of 16 that never dispatches (delay 60 s, batch 32): every further call is rejected.
            await using var engine = await StartAsync(Batching(60_000_000, null, 16));
            var runner = engine.GetModel(model.Name);
            using var cts = new CancellationTokenSource();
            var queued = Enumerable.Range(0, 16).Select(_ => runner.InferAsync(inputs[0], cancellationToken: cts.Token)).ToArray();
            var us = new double[20_000];
            for (var i = 0; i < us.Length; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                var t = runner.InferAsync(inputs[0]);
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

        private static string Bound(double delayMs, double computeMs, double p99Ms)
        {
            var bound = delayMs + (2 * computeMs);
            return $"{bound,6:F1} {(p99Ms <= bound ? "met" : "MISSED")}";
        }

        /// <summary>
        /// 32 callers without delay, alternating the worker alone (<c>PackingThreads</c> 1) and one packer per core (0):
        /// the time per batch outside compute is mostly packing.
        /// </summary>
        public async Task ComparePackingAsync(BatchingSpec batching)
        {
            Console.WriteLine("\n== packing a batch: Inference:PackingThreads 1 (the worker alone) vs 0 (one per core); 32 callers, no delay ==");
            Console.WriteLine("packers  items/s  mean batch  p50 ms  ms per batch: compute / outside compute");
            var throughput = new Dictionary<int, double>();
            var outside = new Dictionary<int, double>();
            for (var round = 0; round < 2; round++)
            {
                foreach (var packers in new[] { 1, 0 })
                {
                    await using var engine = await StartAsync(batching, packers);
                    await engine.WarmUpAsync();
                    var compute = new ComputeTimeListener(engine.GetModel(model.Name).Instruments);
                    var p = await DriveAsync(engine.GetModel(model.Name), 32, compute);
                    var outsideMs = (1000 * p.MeanBatch / p.ItemsPerSecond) - p.ComputeMs;
                    Console.WriteLine($"{(packers == 0 ? "cores" : "1"),7}  {p.ItemsPerSecond,7:F1}  {p.MeanBatch,10:F1}  {p.P50Ms,6:F1}  {p.ComputeMs,8:F1} / {outsideMs:F1}");
                    throughput[packers] = Math.Max(throughput.GetValueOrDefault(packers), p.ItemsPerSecond);
                    outside[packers] = Math.Min(outside.GetValueOrDefault(packers, double.MaxValue), outsideMs);
                }
            }

            // Compute time swings with the machine; the time outside compute is the packers' own figure.
            Console.WriteLine($"best of 2 each: outside compute {outside[1]:F1} -> {outside[0]:F1} ms per batch; items/s {throughput[0] / throughput[1]:F2}x");
        }

        private Task<InferenceEngine> StartAsync(BatchingSpec batching, int packingThreads = 0) =>
            InferenceEngine.StartAsync(new ModelRepository([model with { Batching = batching }]),
                new InferenceEngineOptions { Session = options.Session, PackingThreads = packingThreads });

        private async Task<Point> DriveAsync(ModelRunner runner, int callers, ComputeTimeListener compute)
        {
            var items0 = runner.Statistics.Items;
            var batches0 = runner.Statistics.Batches;
            var latencies = new List<double>[callers];
            var stopAt = Stopwatch.GetTimestamp() + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
            compute.TakeMeanMs();
            var started = Stopwatch.GetTimestamp();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
            {
                var mine = latencies[c] = [];
                while (Stopwatch.GetTimestamp() < stopAt)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await runner.InferAsync(inputs[c % inputs.Length]);
                    mine.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                }
            })));
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var items = runner.Statistics.Items - items0;
            var batches = runner.Statistics.Batches - batches0;
            return new Point(all.Length / elapsed, batches > 0 ? (double)items / batches : 0,
                all[all.Length / 2], all[Math.Min(all.Length - 1, (int)Math.Ceiling(all.Length * 0.99) - 1)], compute.TakeMeanMs());
        }
    }

    /// <summary>One sweep point; <paramref name="ComputeMs"/> is the engine's mean batch compute time during it.</summary>
    private sealed record Point(double ItemsPerSecond, double MeanBatch, double P50Ms, double P99Ms, double ComputeMs);
}
