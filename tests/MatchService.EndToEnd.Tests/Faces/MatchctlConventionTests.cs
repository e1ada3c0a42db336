using System.Diagnostics;
using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>
/// What a newcomer's first hour with matchctl ran into (issue 17): documented exit codes, messages that name a field
/// once, options that are never silently ignored, and output that survives a pipe. Runs the built tool.
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class MatchctlConventionTests(CalibratedFaceServer fixture, ITestOutputHelper output) : IDisposable
{
    private const char Escape = '\u001b';
    private const string Sgr = @"\u001b\[[0-9;]*m";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("matchctl-conv-");

    [Fact]
    public async Task ACommandLineThatDoesNotParseExitsTwoWithTheError()
    {
        var missing = await Matchctl.RunAsync(["compare", "a.jpg"], null, output);
        Assert.Equal(2, missing.Code);
        Assert.Contains("matchctl compare: Required argument missing", missing.Err, StringComparison.Ordinal);
        Assert.Contains("matchctl compare --help", missing.Err, StringComparison.Ordinal);
        Assert.Equal("", missing.Out);

        var unknown = await Matchctl.RunAsync(["health", "--no-such-option"], null, output);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("--no-such-option", unknown.Err, StringComparison.Ordinal);

        Assert.Equal(0, (await Matchctl.RunAsync(["compare", "--help"], null, output)).Code);
    }

    [Fact]
    public async Task OptionsThatNameNothingAreErrorsNotIgnored()
    {
        var a = Write("a.jpg", [0xFF, 0xD8, 0xFF]);
        var b = Write("b.jpg", [0xFF, 0xD8, 0xFF]);
        var noServer = new Uri("http://127.0.0.1:9"); // never called: each is refused before the call

        var embed = await Matchctl.RunAsync(["embed", a, b, "--box", "other.png:1,1,5,5"], noServer, output);
        Assert.Equal(2, embed.Code);
        Assert.Contains("'other.png' is not one of the images (a.jpg, b.jpg)", embed.Err, StringComparison.Ordinal);

        var compare = await Matchctl.RunAsync(["compare", a, b, "--box", "c.jpg:1,1,5,5"], noServer, output);
        Assert.Equal(2, compare.Code);
        Assert.Contains("'c.jpg' is not one of the images", compare.Err, StringComparison.Ordinal);

        var twice = await Matchctl.RunAsync(["compare", a, b, "--box", "a.jpg:1,1,5,5", "--box", "a.jpg:2,2,5,5"], noServer, output);
        Assert.Equal(2, twice.Code);
        Assert.Contains("at most 1 per image", twice.Err, StringComparison.Ordinal);

        var rank = await Matchctl.RunAsync(["rank", a], noServer, output);
        Assert.Equal(2, rank.Code);
        Assert.Contains("nothing to rank: give --candidates DIR", rank.Err, StringComparison.Ordinal);

        var emptyDir = Directory.CreateDirectory(Path.Combine(_dir.FullName, "empty", "shoes")).Parent!.FullName;
        var rankEmpty = await Matchctl.RunAsync(["rank", a, "--candidates", emptyDir], noServer, output);
        Assert.Equal(2, rankEmpty.Code);
        Assert.Contains("no images in its category folders", rankEmpty.Err, StringComparison.Ordinal);

        var folder = await Matchctl.RunAsync(["verify", a, _dir.FullName], noServer, output);
        Assert.Equal(2, folder.Code);
        Assert.Contains($"{_dir.FullName} is a folder", folder.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", folder.Err, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task TheServersInvalidArgumentExitsTwoAndNamesTheFieldOnce()
    {
        var face = fixture.Faces.First(f => f.Sample == 4);
        var a = Write("a.jpg", face.Original);
        var b = Write("b.jpg", face.Variants["jpeg40"]);
        var run = await Matchctl.RunAsync(["compare", a, b, "--similarity-threshold", "2"], fixture.Server!.Address, output);
        Assert.Equal(2, run.Code);
        Assert.Contains("InvalidArgument: similarity_threshold: is 2", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("similarity_threshold: similarity_threshold", run.Err, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task CompareSendsTheFaceBoxItIsGiven()
    {
        var face = fixture.Faces.First(f => f.Sample == 4);
        var a = Write("a.jpg", face.Original);
        var b = Write("b.jpg", face.Variants["brighter"]);
        var detected = JsonParser.Default.Parse<CompareResponse>((await Matchctl.RunAsync(["compare", a, b, "--json"], fixture.Server!.Address, output)).Out);

        // The detected box, moved by a few pixels: the answer must use the box given, not detect again.
        var box = detected.First.Face.Box;
        var given = new Box { X = MathF.Round(box.X) + 3, Y = MathF.Round(box.Y) + 2, Width = MathF.Round(box.Width), Height = MathF.Round(box.Height) };
        var spec = FormattableString.Invariant($"a.jpg:{given.X},{given.Y},{given.Width},{given.Height}");
        var run = await Matchctl.RunAsync(["compare", a, b, "--box", spec, "--json"], fixture.Server!.Address, output);
        Assert.Equal(0, run.Code);
        var boxed = JsonParser.Default.Parse<CompareResponse>(run.Out);
        Assert.Equal(given, boxed.First.Face.Box);
        Assert.Equal(Verdict.Same, boxed.Verdict);
        Assert.Equal(detected.Second.Face.Box, boxed.Second.Face.Box);
    }

    [ModelsFact]
    public async Task VerifyWeightSharesSumToOneAndPercentilesReadAsNumbers()
    {
        var face = fixture.Faces.First(f => f.Sample == 5);
        var files = new[] { face.Original, face.Variants["brighter"], face.Variants["mirrored"], face.Variants["shifted"] }
            .Select((bytes, i) => Write($"w{i}.jpg", bytes)).ToArray();
        var run = await Matchctl.RunAsync(["verify", .. files, "--json"], fixture.Server!.Address, output);
        var response = JsonParser.Default.Parse<VerifyResponse>(run.Out);
        Assert.Equal(1.0, response.Images.Sum(i => (double)i.WeightShare), 4);
        Assert.All(response.Images, i => Assert.InRange(i.WeightShare, 0.1f, 0.5f));
        Assert.Contains("is at percentile", response.DataModel.Explanation, StringComparison.Ordinal);
        Assert.DoesNotContain("th percentile", response.DataModel.Explanation, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task PipedOutputIsPlainAndUnwrappedAndATerminalGetsColourUnlessNoColor()
    {
        var face = fixture.Faces.First(f => f.Sample == 5);
        var files = new[] { face.Original, face.Variants["brighter"], face.Variants["mirrored"] }.Select((bytes, i) => Write($"p{i}.jpg", bytes)).ToArray();

        // Through a pipe: no escape codes although the verdict is coloured markup, and no row wrapped at 80 columns:
        // each image's whole face line (longer than 80 characters) is on one line.
        var piped = await Matchctl.RunAsync(["verify", .. files], fixture.Server!.Address, output);
        Assert.Equal(0, piped.Code);
        Assert.DoesNotContain(Escape, piped.Out);
        var rows = piped.Out.Split('\n').Where(l => l.Contains("p1.jpg", StringComparison.Ordinal)).ToList();
        Assert.Single(rows);
        Assert.Matches(@"box \d+,\d+ \d+x\d+ detector [\d.]+, q [\d.]+ \(sharpness [\d.]+, size [\d.]+, mean conf [\d.]+\), evidence [\d.]+ = detail [\d.]+ x coverage [\d.]+", rows[0]);
        Assert.True(rows[0].Length > 120, rows[0]);

        // On a terminal (a pseudo-terminal from script(1)): colour; with NO_COLOR set: none, tables still drawn.
        // (.NET itself writes the terminal's keypad mode, ESC [?1h ESC =, so look for colour and style codes: SGR.)
        var terminal = await OnTerminalAsync(["models"], noColor: false);
        Assert.Matches(Sgr, terminal);
        var noColor = await OnTerminalAsync(["models"], noColor: true);
        Assert.DoesNotMatch(Sgr, noColor);
        Assert.Contains("face_embedder", noColor, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task HealthPrintsJsonWhenAsked()
    {
        var run = await Matchctl.RunAsync(["health", "--json"], fixture.Server!.Address, output);
        Assert.Equal(0, run.Code);
        Assert.Equal("SERVING", Grpc.Health.V1.HealthCheckResponse.Parser.ParseJson(run.Out).Status.ToString().ToUpperInvariant());
        var unknown = await Matchctl.RunAsync(["health", "--service", "nosuch", "--json"], fixture.Server!.Address, output);
        Assert.Equal(3, unknown.Code);
        Assert.Contains("\"SERVICE_UNKNOWN\"", unknown.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SetupPutsMatchctlOnThePathAsAWrapperOfThisCheckoutsBuild()
    {
        var bin = Directory.CreateDirectory(Path.Combine(_dir.FullName, "bin")).FullName;
        var install = await RunProcessAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "install-matchctl.sh")], new() { ["MATCH_BIN_DIR"] = bin });
        Assert.Equal(0, install.Code);
        Assert.Contains($"matchctl -> {bin}/matchctl", install.Out, StringComparison.Ordinal);
        Assert.Equal("", (await RunProcessAsync("bash", [Path.Combine(RepoPaths.Root, "scripts", "install-matchctl.sh")], new() { ["MATCH_BIN_DIR"] = bin, ["PATH"] = bin + ":/usr/bin:/bin" })).Out);

        // By name, from anywhere: the wrapper runs the Release build (or says how to make it).
        var run = await RunProcessAsync("bash", ["-c", "matchctl compare a.jpg"], new() { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" });
        if (File.Exists(Path.Combine(RepoPaths.Root, "src", "MatchService.Cli", "bin", "Release", "net10.0", "matchctl.dll")))
        {
            Assert.Equal(2, run.Code);
            Assert.Contains("matchctl compare: Required argument missing", run.Err, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(1, run.Code);
            Assert.Contains("matchctl: not built yet", run.Err, StringComparison.Ordinal);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Delete(recursive: true);

    private async Task<string> OnTerminalAsync(string[] args, bool noColor)
    {
        var command = string.Join(' ', new[] { "dotnet", Matchctl.DllPath }.Concat(args).Append("--address").Append(fixture.Server!.Address.ToString().TrimEnd('/')).Select(Quote));
        var start = new ProcessStartInfo("script");
        foreach (var a in new[] { "-q", "-e", "-c", command, "/dev/null" })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        if (noColor)
        {
            start.Environment["NO_COLOR"] = "1";
        }

        var run = await Matchctl.RunProcessAsync(start, output, $"on a terminal{(noColor ? " with NO_COLOR" : "")}: {string.Join(' ', args)}");
        Assert.Equal(0, run.Code);
        return run.Out;
    }

    private Task<MatchctlRun> RunProcessAsync(string file, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = _dir.FullName };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return Matchctl.RunProcessAsync(start, output, $"{file} {string.Join(' ', args)}");
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
