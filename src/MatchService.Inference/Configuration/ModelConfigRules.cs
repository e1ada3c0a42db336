using System.Text.Json;
using MatchService.Imaging.Tensors;

namespace MatchService.Inference.Configuration;

/// <summary>
/// The value rules of config.json that types alone do not carry (ranges, one mean per channel, a vector input without
/// image keys, ...), checked on a deserialised config; the file's own keys tell what was written and what defaulted.
/// </summary>
internal static class ModelConfigRules
{
    /// <summary>The keys only an image input has: a vector input (<c>dim</c>) must have none of them.</summary>
    public static readonly IReadOnlySet<string> ImageKeys = new HashSet<string>(["width", "height", "channels", "layout", "color", "mean", "std", "resize"]);

    /// <summary>The config with its path and name filled in, or the first rule it breaks.</summary>
    public static ModelConfig Check(ModelConfig config, JsonElement file, string configPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".";
        var fail = (string field, string message) => new ModelConfigException(configPath, field, message);
        if (file.TryGetProperty("name", out _))
        {
            NotEmpty(config.Name, "name", fail);
        }
        else
        {
            config = config with { Name = Path.GetFileName(folder) };
        }

        NotEmpty(config.Version, "version", fail);
        NotEmpty(config.File, "file", fail);
        if (Path.IsPathRooted(config.File) || config.File.Split('/', '\\').Contains(".."))
        {
            throw fail("file", $"must be a path inside the model folder (got \"{config.File}\")");
        }

        CheckInput(config.Input, file.GetProperty("input"), fail);
        CheckOutputs(config.Outputs, fail);
        CheckBatching(config.Batching, fail);
        if (config.Instances.Count == 0)
        {
            throw fail("instances", "must list at least one instance");
        }

        for (var i = 0; i < config.Instances.Count; i++)
        {
            AtLeast(config.Instances[i].Count, 1, $"instances[{i}].count", fail);
            AtLeast(config.Instances[i].GpuMemLimitMb, 0, $"instances[{i}].gpu_mem_limit_mb", fail);
            AtLeast(config.Instances[i].IntraOpThreads, 0, $"instances[{i}].intra_op_threads", fail);
        }

        return config with { ConfigPath = configPath };
    }

    private static void CheckInput(InputSpec input, JsonElement keys, Func<string, string, ModelConfigException> fail)
    {
        NotEmpty(input.Name, "input.name", fail);
        if (keys.TryGetProperty("dim", out _))
        {
            AtLeast(input.Dim, 1, "input.dim", fail);
            if (keys.EnumerateObject().Select(k => k.Name).FirstOrDefault(ImageKeys.Contains) is { } imageKey)
            {
                throw fail($"input.{imageKey}", "must not be set for a vector input (\"dim\" is set)");
            }

            return;
        }

        foreach (var (key, value) in new[] { ("width", input.Width), ("height", input.Height) })
        {
            if (!keys.TryGetProperty(key, out _))
            {
                throw fail($"input.{key}", "is required (or \"dim\" for a vector input)");
            }

            AtLeast(value, 1, $"input.{key}", fail);
        }

        AtLeast(input.Channels, 1, "input.channels", fail);
        foreach (var (key, values) in new[] { ("mean", input.Mean), ("std", input.Std) })
        {
            if (values is not null && values.Count != input.Channels)
            {
                throw fail($"input.{key}", $"must have one value per channel ({input.Channels}) (got {values.Count})");
            }
        }

        for (var i = 0; i < input.Std?.Count; i++)
        {
            if (!(input.Std[i] > 0) || !float.IsFinite(input.Std[i]))
            {
                throw fail($"input.std[{i}]", $"must be > 0 (got {input.Std[i]})");
            }
        }

        if (input.DType == TensorElementType.UInt8 && (input.Mean?.Any(m => m != 0) == true || input.Std?.Any(s => s != 1) == true))
        {
            throw fail("input.mean", "must be absent for dtype uint8 (normalisation happens inside the graph)");
        }
    }

    private static void CheckOutputs(IReadOnlyList<OutputSpec> outputs, Func<string, string, ModelConfigException> fail)
    {
        if (outputs.Count == 0)
        {
            throw fail("outputs", "must list at least one output");
        }

        for (var i = 0; i < outputs.Count; i++)
        {
            NotEmpty(outputs[i].Name, $"outputs[{i}].name", fail);
            if (outputs[i].Dim is { } dim)
            {
                AtLeast(dim, 1, $"outputs[{i}].dim", fail);
            }

            if (outputs.Take(i).Any(o => o.Name == outputs[i].Name))
            {
                throw fail($"outputs[{i}].name", $"\"{outputs[i].Name}\" is listed twice");
            }
        }
    }

    private static void CheckBatching(BatchingSpec batching, Func<string, string, ModelConfigException> fail)
    {
        AtLeast(batching.MaxBatchSize, 1, "batching.max_batch_size", fail);
        var preferred = batching.PreferredBatchSizes;
        for (var i = 0; i < preferred.Count; i++)
        {
            var field = $"batching.preferred_batch_sizes[{i}]";
            AtLeast(preferred[i], 1, field, fail);
            if (preferred[i] > batching.MaxBatchSize)
            {
                throw fail(field, $"must be <= max_batch_size {batching.MaxBatchSize} (got {preferred[i]})");
            }

            if (i > 0 && preferred[i] <= preferred[i - 1])
            {
                throw fail(field, $"must be greater than the previous size {preferred[i - 1]} (got {preferred[i]})");
            }
        }

        AtLeast(batching.MaxQueueDelayUs, 0, "batching.max_queue_delay_us", fail);
        AtLeast(batching.MaxQueueSize, 1, "batching.max_queue_size", fail);
        AtLeast(batching.TimeoutMs, 1, "batching.timeout_ms", fail);
        if (batching.LatencySloMs is { } slo && !(slo > 0))
        {
            throw fail("batching.latency_slo_ms", $"must be > 0 (got {slo})");
        }
    }

    private static void AtLeast(long value, long min, string field, Func<string, string, ModelConfigException> fail)
    {
        if (value < min)
        {
            throw fail(field, $"must be >= {min} (got {value})");
        }
    }

    private static void NotEmpty(string value, string field, Func<string, string, ModelConfigException> fail)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw fail(field, "must not be empty");
        }
    }
}
