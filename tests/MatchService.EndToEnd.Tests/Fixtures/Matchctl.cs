using System.Diagnostics;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>What one run of matchctl printed and returned.</summary>
public sealed record MatchctlRun(int Code, string Out, string Err);

/// <summary>Runs the built matchctl as a process, the way a person does (its output is a pipe, as with <c>| tee</c>).</summary>
public static class Matchctl
{
    /// <summary>
    /// matchctl as built in its own project: its runtimeconfig and deps name only .NET's base framework, so it cannot
    /// run from this test's output, whose dependencies come with the ASP.NET Core framework of the server.
    /// </summary>
    public static string DllPath => MatchService.Testing.RepositoryRoot.BuiltAssembly("MatchService.Cli", "matchctl.dll");

    /// <summary>
    /// Runs <c>matchctl ARGS</c> (with <c>--address</c> and a long <c>--timeout</c> when <paramref name="server"/> is
    /// given); <paramref name="environment"/> sets variables (a null value removes one). NO_COLOR and COLUMNS are
    /// removed unless given, so that the test machine's own settings do not leak in.
    /// </summary>
    public static async Task<MatchctlRun> RunAsync(IEnumerable<string> args, Uri? server, ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(DllPath);
        var list = args.ToList();
        foreach (var a in list)
        {
            start.ArgumentList.Add(a);
        }

        if (server is not null)
        {
            start.ArgumentList.Add("--address");
            start.ArgumentList.Add(server.ToString().TrimEnd('/'));
            start.ArgumentList.Add("--timeout");
            start.ArgumentList.Add("120");
        }

        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("COLUMNS");
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return await RunProcessAsync(start, output, $"matchctl {string.Join(' ', list.Select(Path.GetFileName))}");
    }

    /// <summary>Runs a process with redirected output to its end; logs <paramref name="label"/>, the exit code and the output.</summary>
    public static async Task<MatchctlRun> RunProcessAsync(ProcessStartInfo start, ITestOutputHelper? output, string label)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output?.WriteLine($"{label} -> {process.ExitCode}\n{await stdout}{await stderr}");
        return new MatchctlRun(process.ExitCode, await stdout, await stderr);
    }
}
