namespace MatchService.Inference.Runtime;

/// <summary>Which libonnxruntime.so this process loaded: ONNX Runtime looks for its provider libraries beside it.</summary>
internal static class OnnxRuntimeLibrary
{
    public const string FileName = "libonnxruntime.so";

    /// <summary>The loaded library's path (from /proc/self/maps), or null before it is loaded or off Linux.</summary>
    public static string? LoadedPath()
    {
        try
        {
            return File.ReadLines("/proc/self/maps")
                .Select(line => line.IndexOf('/', StringComparison.Ordinal) is var i and >= 0 ? line[i..] : null)
                .FirstOrDefault(path => path is not null && Path.GetFileName(path).StartsWith(FileName, StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The folder the provider libraries are loaded from: the loaded library's, else where the package puts it.</summary>
    public static string Folder()
    {
        if (LoadedPath() is { } loaded)
        {
            return Path.GetDirectoryName(loaded)!;
        }

        var nested = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native");
        return File.Exists(Path.Combine(nested, FileName)) ? nested : AppContext.BaseDirectory;
    }
}
