using MatchService.Inference.Configuration;
using Microsoft.Extensions.Logging;

namespace MatchService.Inference;

/// <summary>The engine's log messages (source-generated, no allocation when the level is off).</summary>
internal static partial class InferenceLog
{
    [LoggerMessage(1, LogLevel.Debug, "Skipping {Folder}: no config.json")]
    public static partial void SkippingFolder(ILogger logger, string folder);

    [LoggerMessage(2, LogLevel.Information, "Model {Name} v{Version} ({Role}) from {Path}")]
    public static partial void ModelRegistered(ILogger logger, string name, string version, ModelRole role, string path);

    [LoggerMessage(3, LogLevel.Information, "Model {Model} instance {Instance} loaded on {Device} with {Provider} (input {Input} {Shape}, outputs to {OutputMemory} memory)")]
    public static partial void InstanceLoaded(ILogger logger, string model, string instance, string device, string provider, string input, string shape, string outputMemory);

    [LoggerMessage(4, LogLevel.Warning, "Model {Model} instance {Instance}: {Device} is unavailable ({Reason}); falling back to {Fallback}")]
    public static partial void DeviceFallback(ILogger logger, string model, string instance, string device, string reason, string fallback);

    [LoggerMessage(5, LogLevel.Warning, "Model {Model} instance {Instance}: batch of {Count} failed")]
    public static partial void BatchFailed(ILogger logger, Exception error, string model, string instance, int count);

    [LoggerMessage(6, LogLevel.Error, "Model {Model} instance {Instance} is unhealthy after {Failures} consecutive failures")]
    public static partial void InstanceUnhealthy(ILogger logger, string model, string instance, int failures);

    [LoggerMessage(7, LogLevel.Information, "Model {Model} instance {Instance} is healthy again")]
    public static partial void InstanceRecovered(ILogger logger, string model, string instance);

    [LoggerMessage(8, LogLevel.Information, "Model {Model} instance {Instance} warmed up with a batch of {Batch} in {Ms:F1} ms")]
    public static partial void WarmedUp(ILogger logger, string model, string instance, int batch, double ms);

    [LoggerMessage(9, LogLevel.Error, "Model {Model} instance {Instance}: batch formation failed; the worker carries on")]
    public static partial void WorkerError(ILogger logger, Exception error, string model, string instance);

    [LoggerMessage(10, LogLevel.Information, "ONNX Runtime {Version} (native library {Library})")]
    public static partial void OnnxRuntimeVersion(ILogger logger, string version, string library);
}
