using System.Text.Json;
using System.Text.Json.Serialization;

namespace MatchService.ModelForge.Config;

/// <summary>
/// <c>models/&lt;name&gt;/config.json</c> as agreed with the inference engine (snake_case keys, unknown keys rejected).
/// ModelForge writes it; tests read it back with the same rules.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Model name (defaults to the folder name).</summary>
    public string? Name { get; init; }

    /// <summary>Version string reported in responses.</summary>
    public required string Version { get; init; }

    /// <summary>Role (face_detector, face_embedder, person_global, ...).</summary>
    public required string Role { get; init; }

    /// <summary>converted | descriptor | test | user.</summary>
    public required string Source { get; init; }

    /// <summary>What the model is, where it comes from and what it is not good for.</summary>
    public required string Description { get; init; }

    /// <summary>ONNX file, relative to the folder.</summary>
    public string File { get; init; } = "model.onnx";

    /// <summary>Input tensor contract.</summary>
    public required ModelInput Input { get; init; }

    /// <summary>Outputs and their meaning.</summary>
    public required IReadOnlyList<ModelOutput> Outputs { get; init; }

    /// <summary>euclidean | cosine (embedders).</summary>
    public string? Metric { get; init; }

    /// <summary>L2-normalise embeddings before comparing.</summary>
    public bool? Normalize { get; init; }

    /// <summary>Documented default decision threshold, in the metric.</summary>
    public double? Threshold { get; init; }

    /// <summary>Dynamic batching settings.</summary>
    public ModelBatching? Batching { get; init; }

    /// <summary>Devices and instance counts.</summary>
    public IReadOnlyList<ModelInstance>? Instances { get; init; }

    /// <summary>Device used when a CUDA device is unavailable (null: fail start-up).</summary>
    public string? FallbackDevice { get; init; }

    /// <summary>Serialiser options: snake_case, nulls left out, unknown keys an error.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        WriteIndented = true,
    };

    /// <summary>The JSON text ModelForge writes (indented, trailing newline).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions) + "\n";

    /// <summary>Reads a config file, failing with the path on unknown or missing keys.</summary>
    public static ModelConfig Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ModelConfig>(System.IO.File.ReadAllText(path), JsonOptions)
                ?? throw new InvalidDataException($"{path}: empty config");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }
}

/// <summary>The input block of a config.</summary>
public sealed record ModelInput
{
    /// <summary>Graph input name.</summary>
    public string Name { get; init; } = "input";

    /// <summary>Image width (image models).</summary>
    public int? Width { get; init; }

    /// <summary>Image height (image models).</summary>
    public int? Height { get; init; }

    /// <summary>Channel count (image models).</summary>
    public int? Channels { get; init; }

    /// <summary>Vector length (vector-input models such as weight_adaptive).</summary>
    public int? Dim { get; init; }

    /// <summary>NHWC | NCHW.</summary>
    public string? Layout { get; init; }

    /// <summary>RGB | BGR.</summary>
    public string? Color { get; init; }

    /// <summary>float32 | uint8.</summary>
    public string Dtype { get; init; } = "float32";

    /// <summary>Per-channel mean, subtracted outside the graph.</summary>
    public IReadOnlyList<double>? Mean { get; init; }

    /// <summary>Per-channel divisor applied after the mean.</summary>
    public IReadOnlyList<double>? Std { get; init; }

    /// <summary>bilinear | area.</summary>
    public string? Resize { get; init; }
}

/// <summary>One output of a config.</summary>
public sealed record ModelOutput(string Name, string Meaning, int Dim);

/// <summary>The batching block of a config.</summary>
public sealed record ModelBatching
{
    /// <summary>Largest batch.</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Batch sizes the batcher prefers.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [8, 16, 32];

    /// <summary>Longest wait for more items after the oldest arrived.</summary>
    public int MaxQueueDelayUs { get; init; } = 2000;

    /// <summary>Queue bound.</summary>
    public int MaxQueueSize { get; init; } = 1024;

    /// <summary>Per-item timeout.</summary>
    public int TimeoutMs { get; init; } = 10000;

    /// <summary>Optional latency objective.</summary>
    public int? LatencySloMs { get; init; }
}

/// <summary>One instance entry of a config.</summary>
public sealed record ModelInstance(string Device, int Count);
