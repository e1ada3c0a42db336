using System.Text.Json;

namespace MatchService.Inference.Configuration;

/// <summary>Reads and validates <c>models/&lt;name&gt;/config.json</c> per the agreed schema (MODEL-CONFIG.md).</summary>
public static class ModelConfigReader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads one config file; the model folder is the file's directory.</summary>
    /// <exception cref="ModelConfigException">Any field that does not fit, naming the file and the field.</exception>
    public static async Task<ModelConfig> ReadAsync(string configPath, CancellationToken cancellationToken = default)
    {
        string text;
        try
        {
            text = await File.ReadAllTextAsync(configPath, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw new ModelConfigException(configPath, string.Empty, $"cannot be read: {e.Message}", e);
        }

        return Parse(text, configPath);
    }

    /// <summary>Parses config text; <paramref name="configPath"/> names the file in errors and anchors relative paths.</summary>
    public static ModelConfig Parse(string json, string configPath)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new ModelConfigException(configPath, string.Empty,
                $"is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}): {e.Message}", e);
        }

        using (doc)
        {
            return Read(new JsonFields(configPath, string.Empty, doc.RootElement), configPath);
        }
    }

    private static ModelConfig Read(JsonFields root, string configPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(configPath)) ?? ".";
        var name = root.String("name") ?? Path.GetFileName(folder);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw root.Error("name", "must not be empty");
        }

        var file = root.String("file", required: true)!;
        if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
        {
            throw root.Error("file", $"must be a path inside the model folder (got \"{file}\")");
        }

        var input = ReadInput(root.Object("input") ?? throw root.Error("input", "is required"));
        var outputs = ReadOutputs(root);
        var batching = ReadBatching(root.Object("batching"));
        var instances = ReadInstances(root);
        DeviceSpec? fallback = null;
        if (root.String("fallback_device") is { } fb)
        {
            fallback = DeviceSpec.TryParse(fb, out var d) ? d : throw root.Error("fallback_device", $"must be cpu or cuda:N (got \"{fb}\")");
        }

        var config = new ModelConfig
        {
            Name = name,
            Version = root.String("version", required: true)!,
            Role = root.Enum<ModelRole>("role", required: true)!.Value,
            Source = root.Enum<ModelSource>("source") ?? ModelSource.User,
            Description = root.String("description"),
            ModelPath = Path.Combine(folder, file),
            ConfigPath = configPath,
            Input = input,
            Outputs = outputs,
            Metric = root.Enum<DistanceMetric>("metric") ?? DistanceMetric.Euclidean,
            Normalize = root.Bool("normalize") ?? false,
            Threshold = root.Double("threshold"),
            Batching = batching,
            Instances = instances,
            FallbackDevice = fallback,
        };
        root.RejectUnknown();
        return config;
    }

    private static InputSpec ReadInput(JsonFields f)
    {
        var name = f.String("name", required: true)!;
        var dim = f.Int("dim", 1);
        var width = f.Int("width", 1);
        var height = f.Int("height", 1);
        var channels = f.Int("channels", 1);
        var layout = f.Enum<TensorLayout>("layout");
        var color = f.Enum<ColorOrder>("color");
        var dtype = f.Enum<InputDType>("dtype") ?? InputDType.Float32;
        var mean = f.Floats("mean");
        var std = f.Floats("std");
        var resize = f.Enum<ResizeMode>("resize");
        f.RejectUnknown();

        if (dim is not null)
        {
            // A vector input [B, D]: image fields make no sense and would hide a mistake.
            foreach (var key in new[] { "width", "height", "channels", "layout", "color", "mean", "std", "resize" })
            {
                if (f.Has(key))
                {
                    throw f.Error(key, "must not be set for a vector input (\"dim\" is set)");
                }
            }

            return new InputSpec { Name = name, Dim = dim.Value, DType = dtype };
        }

        if (width is null)
        {
            throw f.Error("width", "is required (or \"dim\" for a vector input)");
        }

        if (height is null)
        {
            throw f.Error("height", "is required (or \"dim\" for a vector input)");
        }

        var c = channels ?? 3;
        mean ??= new float[c];
        std ??= Enumerable.Repeat(1f, c).ToArray();
        if (mean.Length != c)
        {
            throw f.Error("mean", $"must have one value per channel ({c}) (got {mean.Length})");
        }

        if (std.Length != c)
        {
            throw f.Error("std", $"must have one value per channel ({c}) (got {std.Length})");
        }

        for (var i = 0; i < std.Length; i++)
        {
            if (!(std[i] > 0) || !float.IsFinite(std[i]))
            {
                throw f.Error($"std[{i}]", $"must be > 0 (got {std[i]})");
            }
        }

        if (dtype == InputDType.Uint8 && (mean.Any(m => m != 0) || std.Any(s => s != 1)))
        {
            throw f.Error("mean", "must be absent for dtype uint8 (normalisation happens inside the graph)");
        }

        return new InputSpec
        {
            Name = name,
            Width = width.Value,
            Height = height.Value,
            Channels = c,
            Layout = layout ?? TensorLayout.Nhwc,
            Color = color ?? ColorOrder.Rgb,
            DType = dtype,
            Mean = mean,
            Std = std,
            Resize = resize ?? ResizeMode.Bilinear,
        };
    }

    private static OutputSpec[] ReadOutputs(JsonFields root)
    {
        var list = root.Objects("outputs") ?? throw root.Error("outputs", "is required");
        if (list.Count == 0)
        {
            throw root.Error("outputs", "must list at least one output");
        }

        var outputs = new List<OutputSpec>();
        foreach (var o in list)
        {
            var spec = new OutputSpec(o.String("name", required: true)!, o.Enum<OutputMeaning>("meaning", required: true)!.Value, o.Int("dim", 1));
            o.RejectUnknown();
            if (outputs.Any(x => x.Name == spec.Name))
            {
                throw o.Error("name", $"\"{spec.Name}\" is listed twice");
            }

            outputs.Add(spec);
        }

        return [.. outputs];
    }

    private static BatchingSpec ReadBatching(JsonFields? f)
    {
        if (f is null)
        {
            return new BatchingSpec();
        }

        var defaults = new BatchingSpec();
        var max = f.Int("max_batch_size", 1) ?? defaults.MaxBatchSize;
        var preferred = f.Ints("preferred_batch_sizes", 1) ?? [];
        for (var i = 0; i < preferred.Length; i++)
        {
            if (preferred[i] > max)
            {
                throw f.Error($"preferred_batch_sizes[{i}]", $"must be <= max_batch_size {max} (got {preferred[i]})");
            }

            if (i > 0 && preferred[i] <= preferred[i - 1])
            {
                throw f.Error($"preferred_batch_sizes[{i}]", $"must be greater than the previous size {preferred[i - 1]} (got {preferred[i]})");
            }
        }

        var spec = new BatchingSpec
        {
            MaxBatchSize = max,
            PreferredBatchSizes = preferred,
            MaxQueueDelayUs = f.Int("max_queue_delay_us", 0) ?? defaults.MaxQueueDelayUs,
            MaxQueueSize = f.Int("max_queue_size", 1) ?? defaults.MaxQueueSize,
            TimeoutMs = f.Int("timeout_ms", 1) ?? defaults.TimeoutMs,
            LatencySloMs = f.Double("latency_slo_ms", exclusiveMin: 0),
        };
        f.RejectUnknown();
        return spec;
    }

    private static InstanceSpec[] ReadInstances(JsonFields root)
    {
        var list = root.Objects("instances");
        if (list is null)
        {
            return [new InstanceSpec(DeviceSpec.Cpu, 1)];
        }

        if (list.Count == 0)
        {
            throw root.Error("instances", "must list at least one instance");
        }

        return list.Select(f =>
        {
            var text = f.String("device", required: true)!;
            if (!DeviceSpec.TryParse(text, out var device))
            {
                throw f.Error("device", $"must be cpu or cuda:N (got \"{text}\")");
            }

            var strategy = f.String("arena_extend_strategy") ?? "next_power_of_two";
            if (strategy is not ("next_power_of_two" or "same_as_requested"))
            {
                throw f.Error("arena_extend_strategy", $"must be next_power_of_two or same_as_requested (got \"{strategy}\")");
            }

            var spec = new InstanceSpec(device, f.Int("count", 1) ?? 1)
            {
                GpuMemLimitMb = f.Int("gpu_mem_limit_mb", 0) ?? 0,
                ArenaExtendStrategy = strategy,
                IntraOpThreads = f.Int("intra_op_threads", 0) ?? 0,
            };
            f.RejectUnknown();
            return spec;
        }).ToArray();
    }
}
