using System.Diagnostics;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>Runs the Debian reference encoders/decoders (libjpeg-turbo-progs, webp, netpbm, pngcrush).</summary>
internal static class Tools
{
    /// <summary>Runs a tool with the given stdin bytes and returns its stdout; fails the test on a non-zero exit.</summary>
    public static byte[] Run(string tool, string arguments, byte[]? stdin = null)
    {
        var info = new ProcessStartInfo(tool, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stderr = process.StandardError.ReadToEndAsync();
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        if (stdin is not null)
        {
            process.StandardInput.BaseStream.Write(stdin);
        }

        process.StandardInput.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} {arguments} exited {process.ExitCode}: {stderr.GetAwaiter().GetResult()}");
        }

        return output.ToArray();
    }

    /// <summary>Runs a tool that reads/writes files in a scratch folder (for tools that want paths, like cwebp).</summary>
    public static byte[] RunWithFiles(string tool, Func<string, string, string> arguments, byte[] input, string inputExtension)
    {
        string dir = Directory.CreateTempSubdirectory("imaging-fixture-").FullName;
        try
        {
            string inPath = Path.Combine(dir, "in" + inputExtension);
            string outPath = Path.Combine(dir, "out");
            File.WriteAllBytes(inPath, input);
            Run(tool, arguments(inPath, outPath));
            return File.ReadAllBytes(outPath);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
