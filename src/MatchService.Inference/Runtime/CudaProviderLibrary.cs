using System.Runtime.InteropServices;

namespace MatchService.Inference.Runtime;

/// <summary>
/// Why ONNX Runtime's CUDA execution provider cannot load here, in words a GPU operator can act on. ONNX Runtime itself
/// only says "Failed to load shared library" (the loader's reason goes to its own log), so the provider library is
/// loaded once more to read the dynamic loader's message, which names the first missing dependency.
/// </summary>
internal static class CudaProviderLibrary
{
    public const string FileName = "libonnxruntime_providers_cuda.so";

    // What each dependency of the CUDA 13 provider is part of, so the message says what to install.
    private static readonly (string Prefix, string Part)[] Parts =
    [
        ("libcuda.so", "the NVIDIA driver (libcuda.so.1; on Kubernetes, the NVIDIA device plugin or container toolkit mounts it)"),
        ("libcudart.so", "the CUDA 13 runtime"),
        ("libcublasLt.so", "CUDA 13's cuBLAS"),
        ("libcublas.so", "CUDA 13's cuBLAS"),
        ("libcurand.so", "CUDA 13's cuRAND"),
        ("libcudnn", "cuDNN 9"),
    ];

    /// <summary>The reason the provider library cannot load, or null when it loads (the failure is elsewhere).</summary>
    public static string? WhyNotLoadable()
    {
        var folder = OnnxRuntimeLibrary.Folder();
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return $"{FileName} is not beside {OnnxRuntimeLibrary.FileName} in {folder} (build with the Microsoft.ML.OnnxRuntime.Gpu.Linux package)";
        }

        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (DllNotFoundException e)
        {
            // .NET's message ends with the dynamic loader's own line, e.g. "libcublasLt.so.13: cannot open shared object file".
            var loader = e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
            var part = Parts.FirstOrDefault(p => loader.StartsWith(p.Prefix, StringComparison.Ordinal)).Part;
            return part is null
                ? $"{FileName} cannot load: {loader}"
                : $"{FileName} cannot load: {loader}: install {part}, or add the folder that holds it to LD_LIBRARY_PATH";
        }
    }
}
