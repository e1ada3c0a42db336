using System.Diagnostics;
using MatchService.Inference.Configuration;
using MatchService.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// ONNX Runtime alone, with the session options the engine would use: one session per instance (device × count), each
/// running the same pre-packed batch back to back on its own thread. Each batch size is measured once, on first use.
/// </summary>
internal sealed class RawCeiling(ModelConfig model, IReadOnlyList<InstanceSpec> instances, SessionSettings settings, float[] item, TimeSpan duration)
{
    private readonly Dictionary<int, Figure> _measured = [];

    /// <summary>Throughput of all instances together, and the mean time of one batch run on one instance.</summary>
    public readonly record struct Figure(double ItemsPerSecond, double MsPerBatch);

    /// <summary>Sessions run side by side: one per instance.</summary>
    public int Sessions => instances.Sum(i => i.Count);

    public Figure At(int batch)
    {
        if (!_measured.TryGetValue(batch, out var figure))
        {
            _measured[batch] = figure = Measure(batch);
        }

        return figure;
    }

    private Figure Measure(int batch)
    {
        var cpuInstances = instances.Where(i => i.Device.Kind == DeviceKind.Cpu).Sum(i => i.Count);
        var sessions = instances.SelectMany(i => Enumerable.Repeat(i, i.Count)).Select(i =>
        {
            using var options = SessionOptionsFactory.Create(i, i.Device, settings, cpuInstances);
            return new InferenceSession(model.ModelPath, options);
        }).ToArray();
        try
        {
            var data = new float[batch * item.Length];
            for (var b = 0; b < batch; b++)
            {
                item.CopyTo(data, b * item.Length);
            }

            long[] shape = [batch, .. model.Input.ItemShape];
            var stopAt = 0L;
            var runs = new int[sessions.Length];
            using var start = new Barrier(sessions.Length + 1);
            var threads = sessions.Select((session, s) => new Thread(() =>
            {
                using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
                using var runOptions = new RunOptions();
                string[] inputNames = [model.Input.Name];
                var outputNames = model.Outputs.Select(o => o.Name).ToArray();
                session.Run(runOptions, inputNames, [input], outputNames).Dispose(); // warm-up
                start.SignalAndWait(); // all warm
                start.SignalAndWait(); // the clock runs
                while (Stopwatch.GetTimestamp() < stopAt || runs[s] < 3)
                {
                    session.Run(runOptions, inputNames, [input], outputNames).Dispose();
                    runs[s]++;
                }
            })).ToArray();
            foreach (var t in threads)
            {
                t.Start();
            }

            start.SignalAndWait();
            var started = Stopwatch.GetTimestamp();
            stopAt = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            start.SignalAndWait();
            foreach (var t in threads)
            {
                t.Join();
            }

            var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var total = runs.Sum();
            return new Figure(total * batch / seconds, 1000 * seconds * sessions.Length / total);
        }
        finally
        {
            foreach (var s in sessions)
            {
                s.Dispose();
            }
        }
    }
}
