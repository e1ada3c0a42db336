using MatchService.Inference.Runtime;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Inference.Tests.Support;

/// <summary>Whether this machine can run the CUDA execution provider.</summary>
internal static class GpuProbe
{
    private static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists("/dev/nvidia0") && !File.Exists("/dev/nvidiactl"))
        {
            return "no NVIDIA GPU on this machine (/dev/nvidia0 absent)";
        }

        // The build lists CUDAExecutionProvider among its providers even without CUDA: only a session proves it runs.
        try
        {
            using var options = new SessionOptions();
            options.AppendExecutionProvider_CUDA(0);
            using var session = new InferenceSession(TestModels.Affine(4), options);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return $"a CUDA session cannot be created: {CudaProviderLibrary.WhyNotLoadable() ?? e.Message}";
        }
    });

    /// <summary>Why CUDA cannot run here, or null when it can.</summary>
    public static string? WhyNot => Missing.Value;

    /// <summary>NVIDIA devices visible to this process (/dev/nvidiaN).</summary>
    public static int DeviceCount =>
        Directory.Exists("/dev") ? Directory.EnumerateFiles("/dev", "nvidia*").Count(f => int.TryParse(Path.GetFileName(f).AsSpan(6), out _)) : 0;
}

/// <summary>A fact that needs <paramref name="devices"/> GPUs: it skips itself, saying why, where CUDA cannot run on them.</summary>
internal sealed class GpuFactAttribute : FactAttribute
{
    public GpuFactAttribute(int devices = 1)
    {
        if (GpuProbe.WhyNot is { } reason)
        {
            Skip = $"needs a GPU: {reason}";
        }
        else if (GpuProbe.DeviceCount < devices)
        {
            Skip = $"needs {devices} GPUs; this machine has {GpuProbe.DeviceCount}";
        }
    }
}

/// <summary>A fact about behaviour without CUDA: it skips itself where CUDA can run.</summary>
internal sealed class NoGpuFactAttribute : FactAttribute
{
    public NoGpuFactAttribute()
    {
        if (GpuProbe.WhyNot is null)
        {
            Skip = "checks the no-CUDA path, but CUDA is available here";
        }
    }
}
