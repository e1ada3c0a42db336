using System.Text.RegularExpressions;
using System.Xml.Linq;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Imaging;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>
/// matchctl's picture reports (<c>--report FILE.html|.svg|.png</c>) against the calibrated server: each file is opened
/// and its content checked (the charts' titles and legends, the figures, the image's size and colours).
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class ReportTests(CalibratedFaceServer fixture, ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("matchctl-report-");

    [ModelsFact]
    public async Task VerifyReportShowsTheHeatmapAndTheWeightsInEveryFormat()
    {
        var face = fixture.Faces.First(f => f.Sample == 5);
        var files = new[] { face.Original, face.Variants["brighter"], face.Variants["mirrored"] }.Select((bytes, i) => Write($"r{i}.jpg", bytes)).ToArray();
        var html = Path.Combine(_dir.FullName, "verify.html");
        var run = await Matchctl.RunAsync(["verify", .. files, "--report", html], fixture.Server!.Address, output);
        Assert.Equal(0, run.Code);
        Assert.Contains($"report: {html}", run.Err, StringComparison.Ordinal);
        var page = await File.ReadAllTextAsync(html);
        Assert.StartsWith("<!doctype html>", page, StringComparison.Ordinal);
        Assert.Contains("<h1>Verify: SAME, fused similarity", page, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(page, "<svg"));
        Assert.Contains("Pairwise similarity S_ij", page, StringComparison.Ordinal);
        Assert.Contains("Weight share of each image", page, StringComparison.Ordinal);
        Assert.Contains("<th>pair r0.jpg – r1.jpg</th><td>similarity 0.9", page, StringComparison.Ordinal);
        var texts = Texts(page);
        foreach (var id in new[] { "r0.jpg", "r1.jpg", "r2.jpg" })
        {
            Assert.Contains(id, texts); // tick labels of the heatmap and the bars
        }

        var svg = Path.Combine(_dir.FullName, "verify.svg");
        Assert.Equal(0, (await Matchctl.RunAsync(["verify", .. files, "--report", svg], fixture.Server!.Address, output)).Code);
        var document = XDocument.Load(svg);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        Assert.Equal((3 * 420).ToString(System.Globalization.CultureInfo.InvariantCulture), document.Root.Attribute("height")!.Value);
        Assert.Contains("Weight w_ij of each pair in the fused similarity", document.Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()));

        var png = Path.Combine(_dir.FullName, "verify.png");
        Assert.Equal(0, (await Matchctl.RunAsync(["verify", .. files, "--report", png], fixture.Server!.Address, output)).Code);
        using var image = new ImageDecoder().Decode(await File.ReadAllBytesAsync(png));
        Assert.Equal((900, 3 * 420), (image.Image.Width, image.Image.Height));
        Assert.True(DistinctColours(image.Image, 0, 420) > 20, "the first chart (the heatmap) should not be blank");
        Assert.True(DistinctColours(image.Image, 420, 3 * 420) > 20, "the bars should be drawn");

        var wrong = await Matchctl.RunAsync(["verify", .. files, "--report", Path.Combine(_dir.FullName, "verify.pdf")], fixture.Server!.Address, output);
        Assert.Equal(2, wrong.Code);
        Assert.Contains("give a .html, .svg or .png file", wrong.Err, StringComparison.Ordinal);
    }

    [ModelsFact]
    public async Task CalibrateReportShowsHistogramsTheLogisticAndTheErrorCurves()
    {
        var dataset = Directory.CreateDirectory(Path.Combine(_dir.FullName, "faces"));
        foreach (var face in fixture.Faces.Where(f => f.Sample == 1).Take(3))
        {
            var folder = dataset.CreateSubdirectory(face.Identity).FullName;
            await File.WriteAllBytesAsync(Path.Combine(folder, "original.jpg"), face.Original);
            await File.WriteAllBytesAsync(Path.Combine(folder, "brighter.jpg"), face.Variants["brighter"]);
            await File.WriteAllBytesAsync(Path.Combine(folder, "mirrored.jpg"), face.Variants["mirrored"]);
        }

        var report = Path.Combine(_dir.FullName, "calibration.html");
        var run = await Matchctl.RunAsync(["calibrate", dataset.FullName, "-o", Path.Combine(_dir.FullName, "calibration.json"),
            "--genuine-sets", "50", "--impostor-sets", "50", "--report", report, "--json"], fixture.Server!.Address, output);
        Assert.Equal(0, run.Code);
        var printed = System.Text.Json.JsonDocument.Parse(run.Out).RootElement; // progress went to stderr
        Assert.Equal(50, printed.GetProperty("genuineScores").GetArrayLength());
        var page = await File.ReadAllTextAsync(report);
        var texts = Texts(page);
        Assert.Contains("Distance D of genuine and impostor pairs, and the fitted S(D)", texts);
        Assert.Contains(texts, t => Regex.IsMatch(t, @"^genuine pairs \(\d+\)$"));
        Assert.Contains(texts, t => Regex.IsMatch(t, @"^impostor pairs \(\d+\)$"));
        Assert.Contains("S(D), fitted logistic", texts);
        Assert.Contains("DET: false rejects against false accepts (pairs, accept when D ≤ threshold)", texts);
        Assert.Contains("ROC: genuine accepts against false accepts (pairs)", texts);
        Assert.Contains("Verify's data model: fused scores of sampled sets", texts);
        Assert.Matches(@"<th>logistic S\(D\) = 1 / \(1 \+ exp\(A·D \+ B\)\)</th><td>A = [\d.]+, B = -?[\d.]+, S = 0.5 at D = [\d.]+</td>", System.Net.WebUtility.HtmlDecode(page));
        Assert.Equal(4, CountOf(page, "<svg"));
    }

    [ModelsFact]
    public async Task BenchReportShowsPercentilesOverTime()
    {
        var report = Path.Combine(_dir.FullName, "bench.svg");
        var run = await Matchctl.RunAsync(["bench", "--rpc", "health", "-n", "60", "-c", "2", "--report", report], fixture.Server!.Address, output);
        Assert.Equal(0, run.Code);
        var texts = XDocument.Load(report).Descendants().Where(e => e.Name.LocalName == "text").Select(t => t.Value.Trim()).ToList();
        Assert.Contains(texts, t => t.StartsWith("Latency percentiles over time", StringComparison.Ordinal));
        Assert.Contains("p50", texts);
        Assert.Contains("p99", texts);
        Assert.Contains(texts, t => t.StartsWith("Successful calls per second", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Delete(recursive: true);

    // The text of every SVG <text> element (ScottPlot indents it on its own line).
    private static List<string> Texts(string page) =>
        [.. Regex.Matches(page, @"<text[^>]*>(.*?)</text>", RegexOptions.Singleline).Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value.Trim()))];

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    // Colours seen in rows [top, bottom) of the image, sampled every 7 pixels.
    private static int DistinctColours(RgbImage image, int top, int bottom)
    {
        var colours = new HashSet<int>();
        for (var y = top; y < bottom; y += 7)
        {
            var row = image.Row(y);
            for (var x = 0; x < row.Length; x += 3 * 7)
            {
                colours.Add((row[x] << 16) | (row[x + 1] << 8) | row[x + 2]);
            }
        }

        return colours.Count;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
