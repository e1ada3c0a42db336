using System.Text.Json.Serialization;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;

namespace MatchService.Inference.Configuration;

/// <summary>
/// One model of the repository: <c>models/&lt;name&gt;/config.json</c>. The engine reads it and ModelForge writes it,
/// both through <see cref="ModelConfigFile"/> (snake_case keys, unknown keys an error); the initial values below are
/// the schema's defaults for keys a file leaves out.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>Model name: the file's optional <c>name</c>, else the folder name (filled in when read).</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Version string reported in every response.</summary>
    public required string Version { get; init; }

    /// <summary>What the model is for.</summary>
    public required ModelRole Role { get; init; }

    /// <summary>What produced the weights.</summary>
    public ModelSource Source { get; init; } = ModelSource.User;

    /// <summary>Free text for people: what the model is, where it comes from, what it is not good for.</summary>
    public string? Description { get; init; }

    /// <summary>The .onnx file, relative to the model folder.</summary>
    public required string File { get; init; }

    /// <summary>The single input.</summary>
    public required InputSpec Input { get; init; }

    /// <summary>Outputs the pipelines read, in config order.</summary>
    public required IReadOnlyList<OutputSpec> Outputs { get; init; }

    /// <summary>How embeddings are compared (written for models with an embedding output).</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>L2-normalise embeddings before comparing (written for models with an embedding output).</summary>
    public bool Normalize { get; init; }

    /// <summary>Documented default decision threshold in the metric, if any.</summary>
    public double? Threshold { get; init; }

    /// <summary>Dynamic batching settings.</summary>
    public BatchingSpec Batching { get; init; } = new();

    /// <summary>Where the model runs; several entries and counts allowed.</summary>
    public IReadOnlyList<InstanceSpec> Instances { get; init; } = [new InstanceSpec(DeviceSpec.Cpu, 1)];

    /// <summary>Device used when a CUDA device is unavailable; null fails start-up instead.</summary>
    public DeviceSpec? FallbackDevice { get; init; }

    /// <summary>Path of the config.json it came from (used in every error message); empty for a config built in code.</summary>
    [JsonIgnore]
    public string ConfigPath { get; init; } = string.Empty;

    /// <summary>Absolute path of the .onnx file: <see cref="File"/> in the folder of <see cref="ConfigPath"/>.</summary>
    [JsonIgnore]
    public string ModelPath => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ConfigPath)) ?? ".", File);

    /// <summary>The output with the given meaning, or null.</summary>
    public OutputSpec? OutputFor(OutputMeaning meaning) => Outputs.FirstOrDefault(o => o.Meaning == meaning);

    /// <summary>How the service packs an image region for this model (Imaging's packing contract).</summary>
    /// <exception cref="ArgumentException">The model takes a vector input, not a 3-channel image.</exception>
    public TensorSpec ToTensorSpec()
    {
        if (Input.IsVector || Input.Channels != 3)
        {
            throw new ArgumentException($"model {Name} does not take a 3-channel image input ({ConfigPath})");
        }

        return new TensorSpec
        {
            Width = Input.Width,
            Height = Input.Height,
            Layout = Input.Layout,
            ChannelOrder = Input.Color,
            ElementType = Input.DType,
            Mean = Input.Mean is { } mean ? new ChannelValues(mean[0], mean[1], mean[2]) : ChannelValues.All(0),
            Std = Input.Std is { } std ? new ChannelValues(std[0], std[1], std[2]) : ChannelValues.All(1),
            Resize = Input.Resize,
        };
    }
}

/// <summary>
/// The model's input tensor: an image [B,H,W,C]/[B,C,H,W] (width, height and the image keys) or a vector [B,D]
/// (<see cref="Dim"/> alone; the image keys are neither read nor written for it).
/// </summary>
public sealed record InputSpec
{
    /// <summary>Input name in the ONNX graph.</summary>
    public required string Name { get; init; }

    /// <summary>Image width; 0 for vector inputs.</summary>
    public int Width { get; init; }

    /// <summary>Image height; 0 for vector inputs.</summary>
    public int Height { get; init; }

    /// <summary>Image channels.</summary>
    public int Channels { get; init; } = 3;

    /// <summary>Vector length for [B,D] inputs; 0 for images.</summary>
    public int Dim { get; init; }

    /// <summary>Image layout.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nhwc;

    /// <summary>Channel order.</summary>
    public ChannelOrder Color { get; init; } = ChannelOrder.Rgb;

    /// <summary>Element type: float32 (normalised outside the graph with mean/std) or uint8 (raw 0–255).</summary>
    [JsonPropertyName("dtype")]
    public TensorElementType DType { get; init; } = TensorElementType.Float32;

    /// <summary>Per-channel mean on the 0–255 scale; null = 0. Value = (pixel − mean) / std.</summary>
    public IReadOnlyList<float>? Mean { get; init; }

    /// <summary>Per-channel std on the 0–255 scale; null = 1.</summary>
    public IReadOnlyList<float>? Std { get; init; }

    /// <summary>How crops are scaled to width × height.</summary>
    public ResizeKind Resize { get; init; } = ResizeKind.Bilinear;

    /// <summary>True for [B,D] inputs.</summary>
    [JsonIgnore]
    public bool IsVector => Dim > 0;

    /// <summary>Elements one item occupies in the batch buffer.</summary>
    [JsonIgnore]
    public int ElementsPerItem => IsVector ? Dim : Width * Height * Channels;

    /// <summary>The per-item shape (without the batch dimension) in the model's layout.</summary>
    [JsonIgnore]
    public long[] ItemShape => IsVector
        ? [Dim]
        : Layout == TensorLayout.Nhwc ? [Height, Width, Channels] : [Channels, Height, Width];
}

/// <summary>One named output and what it means.</summary>
/// <param name="Name">Output name in the ONNX graph.</param>
/// <param name="Meaning">What the pipelines do with it.</param>
/// <param name="Dim">Expected elements per item, when fixed.</param>
public sealed record OutputSpec(string Name, OutputMeaning Meaning, int? Dim = null);

/// <summary>Dynamic batching settings (Triton semantics).</summary>
public sealed record BatchingSpec
{
    /// <summary>Largest batch one run takes.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>Batch sizes dispatched at once when reachable, ascending.</summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>How long the oldest item may wait for company, in microseconds.</summary>
    public int MaxQueueDelayUs { get; init; } = 1000;

    /// <summary>Pending items beyond which callers are rejected at once.</summary>
    public int MaxQueueSize { get; init; } = 1024;

    /// <summary>Per-item deadline for calls that bring none; a call's own deadline replaces it (longer or shorter).</summary>
    public int TimeoutMs { get; init; } = 10_000;

    /// <summary>Optional latency objective: the batcher learns t(batch) and dispatches early enough to meet it.</summary>
    public double? LatencySloMs { get; init; }
}

/// <summary>Instances of a model on one device.</summary>
/// <param name="Device">Where they run.</param>
/// <param name="Count">How many sessions (workers) on that device.</param>
public sealed record InstanceSpec(DeviceSpec Device, int Count = 1)
{
    /// <summary>CUDA memory arena limit in MiB (0 = ONNX Runtime's default, no limit).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long GpuMemLimitMb { get; init; }

    /// <summary>How the CUDA arena grows.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public ArenaExtendStrategy ArenaExtendStrategy { get; init; } = ArenaExtendStrategy.NextPowerOfTwo;

    /// <summary>ONNX Runtime intra-op threads for this instance; 0 = the engine's default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int IntraOpThreads { get; init; }
}
