using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Runtime;
using MatchService.Inference.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Inference.Tests;

public sealed class DeviceTests
{
    private const int Dim = 4;
    private const string Outputs = """[{ "name": "y", "meaning": "embedding" }]""";
    private const string Batching = """{ "max_batch_size": 4, "max_queue_delay_us": 0 }""";

    [NoGpuFact]
    public async Task CudaAskedFor_WithoutCuda_FailsStartUpClearly()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim, Batching, Outputs,
            instances: """[{ "device": "cuda:0", "count": 1 }]"""), TestModels.Affine(Dim));
        var e = await Assert.ThrowsAsync<ModelConfigException>(() => repo.StartAsync());
        Assert.Equal("instances[0].device", e.Field);
        Assert.StartsWith($"{repo.ConfigPath("affine")}: instances[0].device cuda:0 is unavailable to model affine (instance cuda:0/0): "
            + "the CUDA execution provider could not be set up: ", e.Message, StringComparison.Ordinal);
        Assert.Contains("set \"fallback_device\"", e.Message, StringComparison.Ordinal);

        // Where the provider library cannot load, the operator reads the dynamic loader's reason (the missing CUDA 13,
        // cuDNN 9 or driver library) and what to install, not ONNX Runtime's bare "Failed to load shared library".
        if (CudaProviderLibrary.WhyNotLoadable() is { } loader)
        {
            Assert.Contains($"{CudaProviderLibrary.FileName} cannot load: ", loader, StringComparison.Ordinal);
            Assert.Contains(loader, e.Message, StringComparison.Ordinal);
        }
    }

    [NoGpuFact]
    public async Task CudaAskedFor_WithFallback_RunsOnTheFallbackDevice()
    {
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim, Batching, Outputs,
            instances: """[{ "device": "cuda:0", "count": 1 }, { "device": "cuda:1", "count": 1 }]""",
            extra: """, "fallback_device": "cpu" """), TestModels.Affine(Dim));
        await using var engine = await repo.StartAsync();
        Assert.All(engine.Instances, i => Assert.Equal(("cpu", "CPUExecutionProvider"), (i.Device, i.Provider)));
        Assert.Equal(["cpu/0", "cpu/1"], engine.Instances.Select(i => i.Instance));
        var result = await engine.GetModel("affine").InferAsync(new DenseInput(new float[] { 1, 2, 3, 4 }));
        Assert.Equal(new float[] { 3, 5, 7, 9 }, result["y"].Data);
    }

    [GpuFact]
    public async Task Cuda_RunsThroughIoBinding_AndMatchesCpu()
    {
        const int h = 16, w = 16, c = 3, k = 32;
        var config = TestRepository.ImageConfig(h, w, c, k, """{ "max_batch_size": 8, "max_queue_delay_us": 2000 }""",
            """[{ "device": "DEVICE", "count": 2, "gpu_mem_limit_mb": 1024 }]""");
        var onnx = TestModels.ConvEmbedder(h, w, c, k);
        using var gpu = new TestRepository().Add("conv", config.Replace("DEVICE", "cuda:0", StringComparison.Ordinal), onnx);
        using var cpu = new TestRepository().Add("conv", config.Replace("DEVICE", "cpu", StringComparison.Ordinal), onnx);
        await using var gpuEngine = await gpu.StartAsync();
        await using var cpuEngine = await cpu.StartAsync();
        await gpuEngine.WarmUpAsync();
        Assert.All(gpuEngine.Instances, i => Assert.Equal(("cuda:0", "CUDAExecutionProvider"), (i.Device, i.Provider)));

        var rng = new Random(5);
        var images = Enumerable.Range(0, 24).Select(_ => new DenseInput(Enumerable.Range(0, h * w * c).Select(_ => (float)rng.NextDouble()).ToArray())).ToArray();
        var onGpu = await Task.WhenAll(images.Select(i => gpuEngine.GetModel("conv").InferAsync(i)));
        var onCpu = await Task.WhenAll(images.Select(i => cpuEngine.GetModel("conv").InferAsync(i)));
        for (var i = 0; i < images.Length; i++)
        {
            for (var j = 0; j < k; j++)
            {
                Assert.Equal(onCpu[i]["embedding"].Data[j], onGpu[i]["embedding"].Data[j], 3);
            }
        }
    }

    [GpuFact]
    public async Task Cuda_DeviceTheMachineLacks_FailsStartUpClearly()
    {
        var missing = GpuProbe.DeviceCount;
        using var repo = new TestRepository().Add("affine", TestRepository.VectorConfig(Dim, Batching, Outputs,
            instances: $$"""[{ "device": "cuda:{{missing}}", "count": 1 }]"""), TestModels.Affine(Dim));
        var e = await Assert.ThrowsAsync<ModelConfigException>(() => repo.StartAsync());
        Assert.Equal("instances[0].device", e.Field);
        Assert.StartsWith($"{repo.ConfigPath("affine")}: instances[0].device cuda:{missing} is unavailable to model affine (instance cuda:{missing}/0): ",
            e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public Task SeveralCpuInstances_ShareTheQueue() => AssertInstancesShareTheQueue("cpu", "cpu");

    [GpuFact(devices: 2)]
    public Task SeveralGpus_AreSeveralInstances_ThatShareTheQueue() => AssertInstancesShareTheQueue("cuda:0", "cuda:1");

    /// <summary>One instance per device: both take batches from the one queue, and agree on the results.</summary>
    private static async Task AssertInstancesShareTheQueue(string first, string second)
    {
        const int h = 96, w = 96, c = 3, k = 32; // a few ms a batch, so that both workers are surely scheduled
        var config = TestRepository.ImageConfig(h, w, c, k, """{ "max_batch_size": 4, "max_queue_delay_us": 0 }""",
            $$"""[{ "device": "{{first}}", "count": 1, "intra_op_threads": 1 }, { "device": "{{second}}", "count": 1, "intra_op_threads": 1 }]""");
        using var repo = new TestRepository().Add("conv", config, TestModels.ConvEmbedder(h, w, c, k));
        await using var engine = await repo.StartAsync();
        await engine.WarmUpAsync();
        string[] ids = first == second ? [$"{first}/0", $"{second}/1"] : [$"{first}/0", $"{second}/0"];
        Assert.Equal(ids, engine.Instances.Select(i => i.Instance));

        var rng = new Random(3);
        var image = new DenseInput(Enumerable.Range(0, h * w * c).Select(_ => (float)rng.NextDouble()).ToArray());
        var results = await Task.WhenAll(Enumerable.Range(0, 256).Select(_ => engine.GetModel("conv").InferAsync(image)));
        Assert.Equal(ids, results.Select(r => r.Instance).Distinct().Order());
        Assert.All(results, r => Assert.True(r.BatchSize <= 4));
        var expected = results[0]["embedding"].Data;
        Assert.All(results, r => Assert.All(r["embedding"].Data.Zip(expected), v => Assert.Equal(v.Second, v.First, 3)));
    }

    [Fact]
    public void OutputMemory_WithoutAPinnedAllocator_IsHostMemory()
    {
        // A CPU session has no CUDA pinned allocator under any device id: the probe must fall back, not throw.
        using var session = new InferenceSession(TestModels.Affine(Dim));
        using var memory = ModelSession.OutputMemoryFor(session, new DeviceSpec(DeviceKind.Cuda, 1));
        Assert.Equal(("Cpu", 0), (memory.Name, memory.Id));
    }

    [Theory]
    [InlineData("cpu", DeviceKind.Cpu, 0)]
    [InlineData("cuda", DeviceKind.Cuda, 0)]
    [InlineData("cuda:3", DeviceKind.Cuda, 3)]
    [InlineData("CUDA:1", DeviceKind.Cuda, 1)]
    public void DeviceSpec_Parses(string text, DeviceKind kind, int index)
    {
        Assert.True(DeviceSpec.TryParse(text, out var d));
        Assert.Equal(new DeviceSpec(kind, index), d);
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("")]
    public void DeviceSpec_RejectsOthers(string text) => Assert.False(DeviceSpec.TryParse(text, out _));
}
