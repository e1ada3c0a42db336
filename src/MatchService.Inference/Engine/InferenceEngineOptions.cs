using MatchService.Inference.Runtime;

namespace MatchService.Inference.Engine;

/// <summary>Engine-wide settings (bind from the server's configuration section <c>Inference</c>).</summary>
public sealed record InferenceEngineOptions
{
    /// <summary>ONNX Runtime session settings shared by all models.</summary>
    public SessionSettings Session { get; init; } = new();

    /// <summary>Consecutive failed runs after which an instance is reported unhealthy.</summary>
    public int UnhealthyAfterFailures { get; init; } = 3;
}
