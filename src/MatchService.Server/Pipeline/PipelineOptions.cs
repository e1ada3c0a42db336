namespace MatchService.Server.Pipeline;

/// <summary>Settings of the shared image pipeline (configuration section <c>Pipeline</c>).</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>The model repository: one folder per model with its <c>config.json</c>.</summary>
    public string ModelsPath { get; set; } = "models";

    /// <summary>Largest decoded image accepted, in pixels (checked from the header, before any buffer).</summary>
    public long MaxImagePixels { get; set; } = 40_000_000;

    /// <summary>Largest encoded image accepted, in bytes.</summary>
    public int MaxImageBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>
    /// Decoded pixels all calls together may hold at once (3 bytes each); a decode waits, in arrival order, until its
    /// image fits. 0 = sized for the machine: an eighth of the memory the runtime may use (the container's limit where
    /// there is one), at least one image of <see cref="MaxImagePixels"/>.
    /// </summary>
    public long MaxDecodedPixelsInFlight { get; set; }

    /// <summary>
    /// Seconds without decoded images after which pooled image buffers are dropped and the heap is compacted, so that
    /// memory taken by a burst goes back to the system (0 = never).
    /// </summary>
    public double ReleaseMemoryAfterIdleSeconds { get; set; } = 10;

    /// <summary>When above 0, replaces every model's <c>batching.timeout_ms</c> (e.g. for slow shared CI machines).</summary>
    public int ModelTimeoutMs { get; set; }
}
