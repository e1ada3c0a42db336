using MatchService.Inference.Runtime;

namespace MatchService.Inference.Engine;

/// <summary>Engine-wide settings (bind from the server's configuration section <c>Inference</c>).</summary>
public sealed record InferenceEngineOptions
{
    /// <summary>ONNX Runtime session settings shared by all models.</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Consecutive failed runs after which an instance is reported unhealthy.</summary>
    public int UnhealthyAfterFailures { get; init; } = 3;

    /// <summary>
    /// Threads that pack one batch's items (crop, resize, normalise into the batch buffer) while the device waits:
    /// 0 = one per core, 1 = the instance's worker alone. Items of fewer than 4096 values are always packed by the worker.
    /// </summary>
    public int PackingThreads { get; init; }

    /// <summary>
    /// How many nice levels below the request path the threads that compute run (model workers, ONNX Runtime's
    /// intra-op threads, image decodes; Linux only, 0 = the same priority). When all cores compute, the threads that
    /// read new calls and answer refusals still get a core at once (README, "Overload and memory"); idle cores are
    /// used by compute all the same.
    /// </summary>
    public int ComputeNice { get; init; } = 10;
}
