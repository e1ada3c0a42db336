using MatchService.Inference.Configuration;

namespace MatchService.Inference.Runtime;

/// <summary>A configured device cannot run sessions here (no CUDA provider, no such GPU, driver missing).</summary>
public sealed class DeviceUnavailableException(DeviceSpec device, string reason, Exception? inner = null)
    : Exception($"{device} is unavailable: {reason}", inner)
{
    /// <summary>The device asked for.</summary>
    public DeviceSpec Device { get; } = device;

    /// <summary>Why it cannot be used.</summary>
    public string Reason { get; } = reason;
}
