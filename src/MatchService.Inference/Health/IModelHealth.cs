namespace MatchService.Inference.Health;

/// <summary>What the health service reads: readiness (all models warmed up) and each instance's state.</summary>
public interface IModelHealth
{
    /// <summary>True once every instance has warmed up and every model has at least one healthy instance.</summary>
    bool IsReady { get; }

    /// <summary>Every instance of every model.</summary>
    IReadOnlyList<InstanceHealth> Instances { get; }

    /// <summary>Raised when readiness or an instance's health changes.</summary>
    event EventHandler? HealthChanged;
}

/// <summary>One instance's state.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Instance">Instance id, e.g. <c>cuda:0/1</c>.</param>
/// <param name="Device">Device it runs on (after any fallback).</param>
/// <param name="Provider">ONNX Runtime execution provider its session was created with, e.g. <c>CUDAExecutionProvider</c>.</param>
/// <param name="WarmedUp">Whether its warm-up batch has run.</param>
/// <param name="Healthy">False after <c>UnhealthyAfterFailures</c> consecutive failed runs; true again after a success.</param>
/// <param name="ConsecutiveFailures">Failed runs since the last success.</param>
/// <param name="LastError">The last run error, if any.</param>
public sealed record InstanceHealth(string Model, string Instance, string Device, string Provider, bool WarmedUp, bool Healthy, int ConsecutiveFailures, string? LastError);
