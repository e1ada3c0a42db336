namespace MatchService.Inference.Configuration;

/// <summary>One model of the repository: <c>models/&lt;name&gt;/config.json</c> after validation.</summary>
public sealed record ModelConfig
{
    /// <summary>Model name (defaults to the folder name).</summary>
    public required string Name { get; init; }

    /// <summary>Version string reported in every response.</summary>
    public required string Version { get; init; }

    /// <summary>What the model is for.</summary>
    public required ModelRole Role { get; init; }

    /// <summary>What produced the weights.</summary>
    public ModelSource Source { get; init; } = ModelSource.User;

    /// <summary>Free text for people.</summary>
    public string? Description { get; init; }

    /// <summary>Absolute path of the .onnx file.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Path of the config.json it came from (used in every error message).</summary>
    public required string ConfigPath { get; init; }

    /// <summary>The single input.</summary>
    public required InputSpec Input { get; init; }

    /// <summary>Outputs the pipelines read, in config order.</summary>
    public required IReadOnlyList<OutputSpec> Outputs { get; init; }

    /// <summary>How embeddings are compared.</summary>
    public DistanceMetric Metric { get; init; } = DistanceMetric.Euclidean;

    /// <summary>L2-normalise embeddings before comparing.</summary>
    public bool Normalize { get; init; }

    /// <summary>Documented default decision threshold in the metric, if any.</summary>
    public double? Threshold { get; init; }

    /// <summary>Dynamic batching settings.</summary>
    public BatchingSpec Batching { get; init; } = new();

    /// <summary>Where the model runs; several entries and counts allowed.</summary>
    public IReadOnlyList<InstanceSpec> Instances { get; init; } = [new InstanceSpec(DeviceSpec.Cpu, 1)];

    /// <summary>Device used when a CUDA device is unavailable; null fails start-up instead.</summary>
    public DeviceSpec? FallbackDevice { get; init; }

    /// <summary>The output with the given meaning, or null.</summary>
    public OutputSpec? OutputFor(OutputMeaning meaning) => Outputs.FirstOrDefault(o => o.Meaning == meaning);
}

/// <summary>The model's input tensor: an image [B,H,W,C]/[B,C,H,W] or a vector [B,D].</summary>
public sealed record InputSpec
{
    /// <summary>Input name in the ONNX graph.</summary>
    public required string Name { get; init; }

    /// <summary>Image width; 0 for vector inputs.</summary>
    public int Width { get; init; }

    /// <summary>Image height; 0 for vector inputs.</summary>
    public int Height { get; init; }

    /// <summary>Image channels; 0 for vector inputs.</summary>
    public int Channels { get; init; }

    /// <summary>Vector length for [B,D] inputs; 0 for images.</summary>
    public int Dim { get; init; }

    /// <summary>Image layout.</summary>
    public TensorLayout Layout { get; init; } = TensorLayout.Nhwc;

    /// <summary>Channel order.</summary>
    public ColorOrder Color { get; init; } = ColorOrder.Rgb;

    /// <summary>Element type.</summary>
    public InputDType DType { get; init; } = InputDType.Float32;

    /// <summary>Per-channel mean in the colour order above.</summary>
    public IReadOnlyList<float> Mean { get; init; } = [];

    /// <summary>Per-channel std; value = (pixel − mean) / std.</summary>
    public IReadOnlyList<float> Std { get; init; } = [];

    /// <summary>How crops are scaled to width × height.</summary>
    public ResizeMode Resize { get; init; } = ResizeMode.Bilinear;

    /// <summary>True for [B,D] inputs.</summary>
    public bool IsVector => Dim > 0;

    /// <summary>Elements one item occupies in the batch buffer.</summary>
    public int ElementsPerItem => IsVector ? Dim : Width * Height * Channels;

    /// <summary>The per-item shape (without the batch dimension) in the model's layout.</summary>
    public long[] ItemShape => IsVector
        ? [Dim]
        : Layout == TensorLayout.Nhwc ? [Height, Width, Channels] : [Channels, Height, Width];
}

/// <summary>One named output and what it means.</summary>
/// <param name="Name">Output name in the ONNX graph.</param>
/// <param name="Meaning">What the pipelines do with it.</param>
/// <param name="Dim">Expected elements per item, when fixed.</param>
public sealed record OutputSpec(string Name, OutputMeaning Meaning, int? Dim);

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
public sealed record InstanceSpec(DeviceSpec Device, int Count)
{
    /// <summary>CUDA memory arena limit in MiB (0 = ONNX Runtime's default, no limit).</summary>
    public long GpuMemLimitMb { get; init; }

    /// <summary>CUDA arena growth: <c>next_power_of_two</c> (ORT default) or <c>same_as_requested</c>.</summary>
    public string ArenaExtendStrategy { get; init; } = "next_power_of_two";

    /// <summary>ONNX Runtime intra-op threads for this instance; 0 = the engine's default.</summary>
    public int IntraOpThreads { get; init; }
}
