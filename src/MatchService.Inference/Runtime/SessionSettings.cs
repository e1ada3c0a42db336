namespace MatchService.Inference.Runtime;

/// <summary>ONNX Runtime session settings that are the engine's, not one model's.</summary>
public sealed record SessionSettings
{
    /// <summary>Intra-op threads for a CPU instance when its config gives none; 0 = cores / CPU instances (at least 1).</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Let ORT's thread pool spin while waiting for work: lower latency, but burns cores shared with others.</summary>
    public bool AllowSpinning { get; init; }

    /// <summary>
    /// ORT's CPU memory arena: tensors of CPU sessions come from an arena that grows to the largest batches seen (the
    /// warm-up's) and is never given back. Off, they are allocated per run: about half the warm RSS with the default
    /// models, but about a third of the throughput under batched load (README, "Overload and memory").
    /// </summary>
    public bool CpuMemoryArena { get; init; } = true;

    /// <summary>Graph optimisation level: 0 none, 1 basic, 2 extended, 99 all.</summary>
    public int GraphOptimizationLevel { get; init; } = 99;
}
