using System.Diagnostics;

namespace MatchService.Testing;

/// <summary>
/// Runs an interop script on Debian's own interpreter (/usr/bin/python3, where python3-grpcio is importable; another
/// python3 may come first on PATH). The scripts print one line per scenario, "name result...", returned by name.
/// </summary>
internal static class PythonScenarios
{
    public static async Task<Dictionary<string, string>> RunAsync(string script, TimeSpan timeout, Action<string>? log, params string[] args)
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            throw new InvalidOperationException("Debian's /usr/bin/python3 is missing: run scripts/setup.sh");
        }

        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["no_proxy"] = "*"; // loopback calls must not go to a proxy from the environment
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(timeout);
        var text = await stdout;
        log?.Invoke(text);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(script)} exited {process.ExitCode}: {await stderr}\n{text}");
        }

        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
    }
}
