using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using MatchService.Inference.Runtime;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// Before a GPU is measured, proof that it computes: every CUDA instance really runs the CUDA execution provider, and
/// its outputs for the benchmark's items agree with the CPU's. This is what tests/bench/gpu-check.sh relies on where
/// only a self-contained publish runs (no SDK for the device tests).
/// </summary>
internal static class DeviceAgreement
{
    /// <summary>Largest difference allowed, relative to the largest CPU output (cuDNN picks other algorithms).</summary>
    private const double Tolerance = 1e-3;

    /// <summary>Prints the check and returns whether it held.</summary>
    public static async Task<bool> CheckAsync(ModelConfig model, IReadOnlyList<InstanceSpec> instances, SessionSettings session, IBatchInput[] inputs)
    {
        var batching = model.Batching with { MaxQueueDelayUs = 0 };
        await using var devices = await InferenceEngine.StartAsync(new ModelRepository([model with { Instances = instances, Batching = batching }]),
            new InferenceEngineOptions { Session = session });
        await using var cpu = await InferenceEngine.StartAsync(new ModelRepository([model with { Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)], Batching = batching }]),
            new InferenceEngineOptions { Session = session });

        Console.WriteLine("\n== device check: providers, and outputs against the CPU ==");
        var ok = true;
        foreach (var instance in devices.Instances)
        {
            var expected = instance.Device.StartsWith("cuda", StringComparison.Ordinal) ? SessionOptionsFactory.CudaProvider : SessionOptionsFactory.CpuProvider;
            var right = instance.Provider == expected;
            ok &= right;
            Console.WriteLine($"instance {instance.Instance}: {instance.Provider}{(right ? "" : $" (expected {expected}) FAILED")}");
        }

        // Every item on every instance: 4 rounds of all items spread the calls over the instances' batches.
        var calls = Enumerable.Range(0, 4).SelectMany(_ => inputs).ToArray();
        var onDevices = await Task.WhenAll(calls.Select(i => devices.GetModel(model.Name).InferAsync(i)));
        var onCpu = await Task.WhenAll(calls.Select(i => cpu.GetModel(model.Name).InferAsync(i)));
        foreach (var output in model.Outputs)
        {
            var scale = onCpu.Max(r => r[output.Name].Data.Max(MathF.Abs));
            var worst = onDevices.Zip(onCpu).Max(p => p.First[output.Name].Data.Zip(p.Second[output.Name].Data).Max(v => Math.Abs(v.First - v.Second)));
            var relative = worst / Math.Max(scale, 1e-12);
            var agrees = relative <= Tolerance;
            ok &= agrees;
            Console.WriteLine($"output {output.Name}: {calls.Length} items on {string.Join(", ", onDevices.Select(r => r.Instance).Distinct().Order())}, "
                + $"largest difference {worst:G3} ({relative:G3} of the largest value; limit {Tolerance:G1}){(agrees ? "" : " FAILED")}");
        }

        return ok;
    }
}
