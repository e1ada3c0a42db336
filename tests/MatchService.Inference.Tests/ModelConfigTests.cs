using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.Inference.Repository;
using MatchService.Inference.Tests.Support;

namespace MatchService.Inference.Tests;

public sealed class ModelConfigTests
{
    // The example of MODEL-CONFIG.md, comments included.
    private const string Example = """
        {
          "name": "face_recognition",            // optional, defaults to the folder name
          "version": "1",
          "role": "face_embedder",
          "source": "converted",
          "description": "dlib ResNet-34 face descriptor",
          "file": "model.onnx",
          "input": {
            "name": "input",
            "width": 150, "height": 150, "channels": 3,
            "layout": "NHWC",
            "color": "RGB",
            "dtype": "float32",
            "mean": [122.782, 117.001, 104.298],
            "std": [256, 256, 256],
            "resize": "bilinear"
          },
          "outputs": [
            { "name": "embedding", "meaning": "embedding", "dim": 128 }
          ],
          "metric": "euclidean",
          "normalize": false,
          "threshold": 0.6,
          "batching": {
            "max_batch_size": 32,
            "preferred_batch_sizes": [8, 16, 32],
            "max_queue_delay_us": 2000,
            "max_queue_size": 1024,
            "timeout_ms": 10000,
            "latency_slo_ms": null
          },
          "instances": [ { "device": "cpu", "count": 1 } ],
          "fallback_device": null
        }
        """;

    [Fact]
    public void SchemaExample_ParsesEveryField()
    {
        var c = ModelConfigFile.Parse(Example, "models/face/config.json");
        Assert.Equal("face_recognition", c.Name);
        Assert.Equal(ModelRole.FaceEmbedder, c.Role);
        Assert.Equal(ModelSource.Converted, c.Source);
        Assert.Equal((150, 150, 3), (c.Input.Width, c.Input.Height, c.Input.Channels));
        Assert.Equal(TensorLayout.Nhwc, c.Input.Layout);
        Assert.Equal([122.782f, 117.001f, 104.298f], c.Input.Mean);
        Assert.Equal([256f, 256f, 256f], c.Input.Std);
        Assert.Equal(new OutputSpec("embedding", OutputMeaning.Embedding, 128), Assert.Single(c.Outputs));
        Assert.Equal(0.6, c.Threshold);
        Assert.Equal(32, c.Batching.MaxBatchSize);
        Assert.Equal([8, 16, 32], c.Batching.PreferredBatchSizes);
        Assert.Equal(2000, c.Batching.MaxQueueDelayUs);
        Assert.Null(c.Batching.LatencySloMs);
        Assert.Equal(DeviceSpec.Cpu, Assert.Single(c.Instances).Device);
        Assert.Null(c.FallbackDevice);
        Assert.EndsWith(Path.Combine("face", "model.onnx"), c.ModelPath, StringComparison.Ordinal);
        Assert.Equal([150L, 150, 3], c.Input.ItemShape);
    }

    [Fact]
    public void VectorInput_HasDimAndDefaults()
    {
        var c = ModelConfigFile.Parse(TestRepository.VectorConfig(64, "{}"), "models/wa/config.json");
        Assert.True(c.Input.IsVector);
        Assert.Equal(64, c.Input.ElementsPerItem);
        Assert.Equal("wa", c.Name);
        Assert.Equal(new BatchingSpec().MaxBatchSize, c.Batching.MaxBatchSize);
    }

    [Fact]
    public void Devices_ParseCpuAndCuda()
    {
        var c = ModelConfigFile.Parse(TestRepository.VectorConfig(4, "{}",
            instances: """[{ "device": "cuda:1", "count": 2, "gpu_mem_limit_mb": 2048, "arena_extend_strategy": "same_as_requested" }, { "device": "cpu" }]""",
            extra: """, "fallback_device": "cpu" """), "models/m/config.json");
        Assert.Equal(new DeviceSpec(DeviceKind.Cuda, 1), c.Instances[0].Device);
        Assert.Equal(2, c.Instances[0].Count);
        Assert.Equal(2048, c.Instances[0].GpuMemLimitMb);
        Assert.Equal(DeviceSpec.Cpu, c.Instances[1].Device);
        Assert.Equal(DeviceSpec.Cpu, c.FallbackDevice);
    }

    [Theory]
    [InlineData("\"max_batch_size\": 32", "\"max_batch_size\": 0", "batching.max_batch_size must be >= 1 (got 0)")]
    [InlineData("\"role\": \"face_embedder\"", "\"role\": \"face_embeder\"", "role must be one of")]
    [InlineData("\"metric\": \"euclidean\"", "\"metrik\": \"euclidean\"", "metrik is not a known field")]
    [InlineData("\"resize\": \"bilinear\"", "\"resize\": \"bilinear\", \"gamma\": 2", "input.gamma is not a known field")]
    [InlineData("[8, 16, 32]", "[8, 64]", "batching.preferred_batch_sizes[1] must be <= max_batch_size 32 (got 64)")]
    [InlineData("[8, 16, 32]", "[16, 8]", "batching.preferred_batch_sizes[1] must be greater than the previous size 16 (got 8)")]
    [InlineData("\"std\": [256, 256, 256]", "\"std\": [256, 256]", "input.std must have one value per channel (3) (got 2)")]
    [InlineData("\"std\": [256, 256, 256]", "\"std\": [256, 0, 256]", "input.std[1] must be > 0 (got 0)")]
    [InlineData("\"device\": \"cpu\"", "\"device\": \"gpu0\"", "instances[0].device must be cpu or cuda:N (got \"gpu0\")")]
    [InlineData("\"count\": 1", "\"count\": 0", "instances[0].count must be >= 1 (got 0)")]
    [InlineData("\"version\": \"1\"", "\"version\": 1", "version must be a string (got 1)")]
    [InlineData("\"layout\": \"NHWC\"", "\"layout\": \"HWC\"", "input.layout must be one of nchw | nhwc (got \"HWC\")")]
    [InlineData("\"timeout_ms\": 10000", "\"timeout_ms\": -5", "batching.timeout_ms must be >= 1 (got -5)")]
    [InlineData("\"latency_slo_ms\": null", "\"latency_slo_ms\": 0", "batching.latency_slo_ms must be > 0 (got 0)")]
    [InlineData("{ \"name\": \"embedding\", \"meaning\": \"embedding\", \"dim\": 128 }", "{ \"name\": \"embedding\", \"meaning\": \"vibes\" }", "outputs[0].meaning must be one of")]
    [InlineData("\"file\": \"model.onnx\"", "\"file\": \"../other/model.onnx\"", "file must be a path inside the model folder")]
    [InlineData("\"fallback_device\": null", "\"fallback_device\": \"tpu\"", "fallback_device must be cpu or cuda:N (got \"tpu\")")]
    [InlineData("\"width\": 150, ", "", "input.width is required")]
    [InlineData("\"version\": \"1\"", "\"version\": null", "version must be a string (got null)")]
    [InlineData("\"layout\": \"NHWC\"", "\"layout\": 0", "input.layout must be one of nchw | nhwc (got 0)")]
    [InlineData("\"layout\": \"NHWC\"", "\"layout\": \"nhwc, nchw\"", "input.layout must be one of nchw | nhwc (got \"nhwc, nchw\")")]
    [InlineData("\"role\": \"face_embedder\"", "\"role\": \"FaceEmbedder\"", "role must be one of face_detector | face_landmarks | face_embedder |")]
    [InlineData("\"dtype\": \"float32\"", "\"dtype\": \"u_int8\"", "input.dtype must be one of float32 | uint8 (got \"u_int8\")")]
    [InlineData("{ \"name\": \"embedding\", \"meaning\": \"embedding\", \"dim\": 128 }", "{ \"meaning\": \"embedding\" }", "outputs[0].name is required")]
    [InlineData("\"dim\": 128", "\"dim\": 0", "outputs[0].dim must be >= 1 (got 0)")]
    [InlineData("\"count\": 1", "\"count\": 1, \"gpus\": 2", "instances[0].gpus is not a known field")]
    [InlineData("\"count\": 1", "\"count\": 1, \"arena_extend_strategy\": \"grow\"", "instances[0].arena_extend_strategy must be one of next_power_of_two | same_as_requested (got \"grow\")")]
    [InlineData("[122.782, 117.001, 104.298]", "[122.782, \"x\", 104.298]", "input.mean[1] must be a number (got \"x\")")]
    [InlineData("[ { \"device\": \"cpu\", \"count\": 1 } ]", "[]", "instances must list at least one instance")]
    [InlineData("\"max_batch_size\": 32", "\"max_batch_size\": 32.5", "batching.max_batch_size must be an integer (got 32.5)")]
    [InlineData("\"batching\": {", "\"batching\": 5, \"unused\": {", "batching must be an object (got 5)")]
    public void InvalidField_FailsNamingFileAndField(string from, string to, string expected)
    {
        Assert.Contains(from, Example, StringComparison.Ordinal);
        var json = Example.Replace(from, to, StringComparison.Ordinal);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigFile.Parse(json, "models/face/config.json"));
        Assert.StartsWith("models/face/config.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void VectorInput_WithAnImageKey_FailsNamingIt()
    {
        var json = TestRepository.VectorConfig(4, "{}").Replace("\"dim\": 4", "\"dim\": 4, \"layout\": \"nhwc\"", StringComparison.Ordinal);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigFile.Parse(json, "models/wa/config.json"));
        Assert.Equal("models/wa/config.json: input.layout must not be set for a vector input (\"dim\" is set)", e.Message);
    }

    [Fact]
    public void WrittenConfig_ReadsBackTheSame_AndLeavesOutWhatTheModelDoesNotUse()
    {
        var image = ModelConfigFile.Parse(Example, "models/face/config.json");
        var text = ModelConfigFile.ToJson(image);
        Assert.Equal(text, ModelConfigFile.ToJson(ModelConfigFile.Parse(text, "models/face/config.json")));
        Assert.Contains("\"layout\": \"nhwc\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"dim\"", text.Split("\"outputs\"")[0], StringComparison.Ordinal);
        Assert.Contains("\"metric\": \"euclidean\"", text, StringComparison.Ordinal); // an embedder states its metric

        var vector = ModelConfigFile.Parse(TestRepository.VectorConfig(64, "{}"), "models/wa/config.json") with { Name = string.Empty };
        var written = ModelConfigFile.ToJson(vector);
        Assert.DoesNotContain("\"name\": \"\"", written, StringComparison.Ordinal);
        Assert.DoesNotContain("\"metric\"", ModelConfigFile.ToJson(vector with { Outputs = [new OutputSpec("w", OutputMeaning.Weights, 1)] }), StringComparison.Ordinal);
        foreach (var imageKey in new[] { "width", "height", "channels", "layout", "color", "mean", "std", "resize" })
        {
            Assert.DoesNotContain($"\"{imageKey}\"", written, StringComparison.Ordinal);
        }

        Assert.Equal(64, ModelConfigFile.Parse(written, "models/wa/config.json").Input.Dim);
    }

    [Fact]
    public void BrokenJson_NamesFileAndLine()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfigFile.Parse("{ \"version\": \"1\",\n  \"role\" }", "models/x/config.json"));
        Assert.Contains("models/x/config.json: is not valid JSON (line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repository_RegistersByRole_AndRejectsTwoModelsForOneRole()
    {
        using var repo = new TestRepository()
            .Add("a", TestRepository.VectorConfig(4, "{}", role: "weight_adaptive"))
            .Add("b", TestRepository.VectorConfig(4, "{}", role: "intent_classifier"));
        var models = await ModelRepository.LoadAsync(repo.Root);
        Assert.Equal("a", models.GetByRole(ModelRole.WeightAdaptive).Name);
        Assert.Equal("b", models.GetByRole(ModelRole.IntentClassifier).Name);
        Assert.Null(models.TryGetByRole(ModelRole.FaceEmbedder));
        Assert.Throws<KeyNotFoundException>(() => models.GetByRole(ModelRole.FaceEmbedder));

        repo.Add("c", TestRepository.VectorConfig(4, "{}", role: "weight_adaptive"));
        var e = await Assert.ThrowsAsync<ModelConfigException>(() => ModelRepository.LoadAsync(repo.Root));
        Assert.Equal(repo.ConfigPath("c"), e.ConfigPath);
        Assert.Equal("role", e.Field);
    }

    [Fact]
    public async Task Repository_FailsOnFirstBadConfig_WithItsPath()
    {
        using var repo = new TestRepository()
            .Add("good", TestRepository.VectorConfig(4, "{}"))
            .Add("bad", TestRepository.VectorConfig(4, """{ "max_batch_size": 0 }""", role: "intent_classifier"));
        var e = await Assert.ThrowsAsync<ModelConfigException>(() => ModelRepository.LoadAsync(repo.Root));
        Assert.Equal($"{repo.ConfigPath("bad")}: batching.max_batch_size must be >= 1 (got 0)", e.Message);
    }
}
