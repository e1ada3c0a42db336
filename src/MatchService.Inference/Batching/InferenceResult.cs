namespace MatchService.Inference.Batching;

/// <summary>One output of one item: its slice of the batch output and its shape (without the batch dimension).</summary>
/// <param name="Name">Output name in the graph.</param>
/// <param name="Data">The item's values.</param>
/// <param name="Shape">The item's shape; the product equals <c>Data.Length</c>.</param>
public sealed record OutputTensor(string Name, float[] Data, int[] Shape);

/// <summary>What one item got back from its batch.</summary>
public sealed class InferenceResult
{
    internal InferenceResult(string model, string version, string instance, int batchSize, TimeSpan queueTime, TimeSpan computeTime, OutputTensor[] outputs)
    {
        Model = model;
        Version = version;
        Instance = instance;
        BatchSize = batchSize;
        QueueTime = queueTime;
        ComputeTime = computeTime;
        Outputs = outputs;
    }

    /// <summary>Model name.</summary>
    public string Model { get; }

    /// <summary>Model version (responses report it).</summary>
    public string Version { get; }

    /// <summary>Instance that ran the batch, e.g. <c>cpu/0</c>.</summary>
    public string Instance { get; }

    /// <summary>How many items shared the run.</summary>
    public int BatchSize { get; }

    /// <summary>Time from submission to the start of the run.</summary>
    public TimeSpan QueueTime { get; }

    /// <summary>Time the batch run took.</summary>
    public TimeSpan ComputeTime { get; }

    /// <summary>Outputs in config order.</summary>
    public IReadOnlyList<OutputTensor> Outputs { get; }

    /// <summary>The output with this name.</summary>
    public OutputTensor this[string name] =>
        Outputs.FirstOrDefault(o => o.Name == name) ?? throw new KeyNotFoundException($"model {Model} has no output \"{name}\"");
}
