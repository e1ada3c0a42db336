using System.Diagnostics;
using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>matchctl compare, verify, health and models, run as the built tool against the calibrated server.</summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class CliTests(CalibratedFaceServer fixture, ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("matchctl-");

    [ModelsFact]
    public async Task CompareShowsTheVerdictAndTheFiguresAndItsJsonIsTheResponse()
    {
        var face = fixture.Faces.First(f => f.Sample == 4);
        var a = Write("a.jpg", face.Original);
        var b = Write("b.jpg", face.Variants["jpeg40"]);
        var (code, text, _) = await RunAsync("compare", a, b);
        Assert.Equal(0, code);
        Assert.Contains("SAME", text, StringComparison.Ordinal);
        Assert.Contains("C = <Y1,Y2>/d", text, StringComparison.Ordinal);
        Assert.Contains("first 'a.jpg'", text, StringComparison.Ordinal);

        var (jsonCode, json, _) = await RunAsync("compare", a, b, "--json");
        Assert.Equal(0, jsonCode);
        var response = JsonParser.Default.Parse<CompareResponse>(json);
        Assert.Equal(Verdict.Same, response.Verdict);
        Assert.Equal(128, response.First.Vectors.Feature.Count);
        Assert.Equal("b.jpg", response.Second.ImageId);

        var other = Write("other.jpg", fixture.Faces.First(f => f.Sample == 4 && f.Identity != face.Identity).Original);
        Assert.Equal(3, (await RunAsync("compare", a, other)).Code);
        var (missing, _, error) = await RunAsync("compare", a, Path.Combine(_dir.FullName, "nope.jpg"));
        Assert.Equal(2, missing);
        Assert.Contains("nope.jpg", error, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task VerifyPrintsPairsAndTheDataModelAndFailsWithTheServersReason()
    {
        var face = fixture.Faces.First(f => f.Sample == 5);
        var files = new[] { face.Original, face.Variants["brighter"], face.Variants["mirrored"] }.Select((bytes, i) => Write($"v{i}.jpg", bytes)).ToArray();
        var (code, text, _) = await RunAsync(["verify", .. files]);
        Assert.Equal(0, code);
        Assert.Contains("SAME", text, StringComparison.Ordinal);
        Assert.Contains("data model decided", text, StringComparison.Ordinal);

        var (jsonCode, json, _) = await RunAsync(["verify", .. files, "--json"]);
        Assert.Equal(0, jsonCode);
        var response = JsonParser.Default.Parse<VerifyResponse>(json);
        Assert.Equal(3, response.Pairs.Count);
        Assert.Equal(3, response.Images.Count);
        Assert.True(response.DataModel.Calibrated);

        var (one, _, error) = await RunAsync("verify", files[0]);
        Assert.Equal(1, one);
        Assert.Contains("InvalidArgument", error, StringComparison.Ordinal);
        Assert.Contains("at least two", error, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task HealthAndModelsReportTheServerAndShareTheExitCodes()
    {
        var (code, text, _) = await RunAsync("health", "--service", "match.v1.MatchService");
        Assert.Equal(0, code);
        Assert.Equal("SERVING", text.Trim());
        var (unknown, unknownText, _) = await RunAsync("health", "--service", "no.such.Service");
        Assert.Equal(1, unknown);
        Assert.Equal("", unknownText.Trim());

        var (modelsCode, json, _) = await RunAsync("models", "--json");
        Assert.Equal(0, modelsCode);
        var models = JsonParser.Default.Parse<ListModelsResponse>(json).Models;
        Assert.Contains(models, m => m.Role == "face_embedder" && m.EmbeddingDimension == 128 && m.Ready);
        var (_, table, _) = await RunAsync("models");
        Assert.Contains("instance cpu/0: cpu, CPUExecutionProvider", table, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Delete(recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>
    /// matchctl as built in its own project: its runtimeconfig and deps name only .NET's base framework, so it cannot
    /// run from this test's output, whose dependencies come with the ASP.NET Core framework of the server.
    /// </summary>
    private static string MatchctlPath
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepoPaths.Root, "src", "MatchService.Cli", "bin", output.Parent!.Name, output.Name, "matchctl.dll");
        }
    }

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    private async Task<(int Code, string Out, string Err)> RunAsync(IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(MatchctlPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.ArgumentList.Add("--address");
        start.ArgumentList.Add(fixture.Server!.Address.ToString().TrimEnd('/'));
        start.ArgumentList.Add("--timeout");
        start.ArgumentList.Add("120");
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.WriteLine($"matchctl {string.Join(' ', args.Select(Path.GetFileName))} -> {process.ExitCode}\n{await stdout}{await stderr}");
        return (process.ExitCode, await stdout, await stderr);
    }
}
