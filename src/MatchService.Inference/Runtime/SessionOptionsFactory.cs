using System.Globalization;
using MatchService.Inference.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Inference.Runtime;

/// <summary>Builds ONNX Runtime session options for one instance on its device.</summary>
internal static class SessionOptionsFactory
{
    public const string CudaProvider = "CUDAExecutionProvider";
    public const string CpuProvider = "CPUExecutionProvider";

    public static SessionOptions Create(InstanceSpec instance, DeviceSpec device, SessionSettings settings, int cpuInstances)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = settings.GraphOptimizationLevel switch
            {
                0 => GraphOptimizationLevel.ORT_DISABLE_ALL,
                1 => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                2 => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            },
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,

            // Parallelism across batches comes from instances; one inter-op thread per session is enough.
            InterOpNumThreads = 1,
            EnableCpuMemArena = settings.CpuMemoryArena,
        };
        try
        {
            var threads = instance.IntraOpThreads > 0 ? instance.IntraOpThreads
                : settings.IntraOpThreads > 0 ? settings.IntraOpThreads
                : Math.Max(1, Environment.ProcessorCount / Math.Max(1, cpuInstances));
            options.IntraOpNumThreads = device.Kind == DeviceKind.Cpu ? threads : 1;
            options.AddSessionConfigEntry("session.intra_op.allow_spinning", settings.AllowSpinning ? "1" : "0");
            if (device.Kind == DeviceKind.Cuda)
            {
                AppendCuda(options, instance, device);
            }

            return options;
        }
        catch
        {
            options.Dispose();
            throw;
        }
    }

    private static void AppendCuda(SessionOptions options, InstanceSpec instance, DeviceSpec device)
    {
        // GetAvailableProviders() lists CUDA in this build even where CUDA is absent: only appending it (which loads the
        // provider library) and creating the session (which opens the device) prove it.
        var providerOptions = new Dictionary<string, string>
        {
            ["device_id"] = device.Index.ToString(CultureInfo.InvariantCulture),
            ["arena_extend_strategy"] = instance.ArenaExtendStrategy == "same_as_requested" ? "kSameAsRequested" : "kNextPowerOfTwo",
            ["cudnn_conv_algo_search"] = "EXHAUSTIVE",
            ["do_copy_in_default_stream"] = "1",
        };
        if (instance.GpuMemLimitMb > 0)
        {
            providerOptions["gpu_mem_limit"] = (instance.GpuMemLimitMb * 1024 * 1024).ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            using var cuda = new OrtCUDAProviderOptions();
            cuda.UpdateOptions(providerOptions);
            options.AppendExecutionProvider_CUDA(cuda);
        }
        catch (OnnxRuntimeException e)
        {
            var reason = CudaProviderLibrary.WhyNotLoadable() ?? e.Message;
            throw new DeviceUnavailableException(device, $"the CUDA execution provider could not be set up: {reason}", e);
        }
    }
}
