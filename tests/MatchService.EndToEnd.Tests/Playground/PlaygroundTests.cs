using MatchService.EndToEnd.Tests.Fixtures;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Playground;

/// <summary>
/// The playground page (Match:Playground) in a real headless Chromium (Debian's, driven by Playwright): photos uploaded,
/// the verdict, the faces drawn, the heatmap and the weights on the page, from the real Verify RPC.
/// </summary>
public sealed class PlaygroundTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Debian's chromium (scripts/setup.sh installs it).</summary>
    public const string Chromium = "/usr/bin/chromium";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("playground-");

    [BrowserFact]
    public async Task UploadedPhotosShowTheVerdictTheFacesTheHeatmapAndTheWeights()
    {
        await using var server = await MatchServer.StartAsync(new Dictionary<string, string?>
        {
            ["Match:Playground:Enabled"] = "true",
            ["Match:Playground:Port"] = "0",
        });
        var page = PageAddress(server);

        // Two copies of one photo (the same face) and another person's photo.
        var files = new[] { ("a.jpg", 1), ("b.jpg", 1), ("c.jpg", 2) }.Select(f =>
        {
            var path = Path.Combine(_dir.FullName, f.Item1);
            File.Copy(RepoPaths.Sample(f.Item2), path);
            return path;
        }).ToArray();

        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var tab = await browser.NewPageAsync();
        tab.Console += (_, message) => output.WriteLine($"console: {message.Text}");
        await tab.GotoAsync(new Uri(page, "playground").ToString());
        Assert.Equal("MatchService playground", await tab.TitleAsync());

        await tab.SetInputFilesAsync("#photos", files);
        await tab.ClickAsync("#verify");
        var verdict = tab.Locator("#verdict");
        await Assertions.Expect(verdict).ToContainTextAsync("fused similarity", new() { Timeout = 120_000 });
        output.WriteLine(await tab.InnerTextAsync("body"));
        Assert.StartsWith("DIFFERENT, fused similarity", await verdict.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("data model decided", await tab.InnerTextAsync("#explanation"), StringComparison.Ordinal);

        // The heatmap: a header row and one row per photo; a–b (the same photo) near 1, a–c and b–c near 0.
        var heat = await tab.Locator("#heatmap tr").AllInnerTextsAsync();
        Assert.Equal(4, heat.Count);
        var cells = await tab.Locator("#heatmap tr:nth-child(2) td").AllInnerTextsAsync();
        var row = cells.Select(c => c.Trim()).ToArray();
        Assert.Equal(3, row.Length);
        Assert.Equal("", row[0]);
        Assert.True(double.Parse(row[1], System.Globalization.CultureInfo.InvariantCulture) >= 0.99, $"a-b similarity {row[1]}");
        Assert.True(double.Parse(row[2], System.Globalization.CultureInfo.InvariantCulture) < 0.5, $"a-c similarity {row[2]}");

        // The weights: one row per photo (shares summing to 1), then one per pair.
        var shares = await tab.Locator("#weights tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.Equal(6, shares.Count);
        Assert.Equal(1.0, shares.Take(3).Sum(s => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)), 2);

        // Each photo drawn with its face box: the pixel on the box's top edge is the box's red.
        await Assertions.Expect(tab.Locator("canvas[data-drawn=true]")).ToHaveCountAsync(3);
        Assert.Equal(["a.jpg", "b.jpg", "c.jpg"], await tab.Locator("#faces canvas").EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.imageId)"));
        foreach (var id in new[] { "a.jpg", "b.jpg", "c.jpg" })
        {
            var box = await tab.GetAttributeAsync($"canvas[data-image-id='{id}']", "data-box");
            Assert.NotNull(box);
            var rgb = await tab.EvaluateAsync<int[]>($$"""
                () => {
                  const c = document.querySelector("canvas[data-image-id='{{id}}']");
                  const [x, y, w] = c.dataset.box.split(",").map(Number);
                  return [...c.getContext("2d").getImageData(x + Math.round(w / 2), y, 1, 1).data].slice(0, 3);
                }
                """);
            Assert.Equal([255, 0, 0], rgb);
        }

        // One photo: the service's INVALID_ARGUMENT reaches the page.
        await tab.SetInputFilesAsync("#photos", files[..1]);
        await tab.ClickAsync("#verify");
        await Assertions.Expect(tab.Locator("#error")).ToContainTextAsync("two or more photos");
    }

    [ModelsFact]
    public async Task ThePlaygroundIsOffByDefaultAndRefusesATokenServer()
    {
        await using var server = await MatchServer.StartAsync();
        Assert.Single(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses);

        var refused = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => MatchServer.StartAsync(new Dictionary<string, string?>
        {
            ["Match:Playground:Enabled"] = "true",
            ["Match:BearerToken"] = "a-token-of-sixteen-chars",
        }));
        Assert.Contains("Match:Playground:Enabled", refused.Message, StringComparison.Ordinal);
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Delete(recursive: true);

    private static Uri PageAddress(MatchServer server) =>
        server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).Single(a => a.Port != server.Address.Port);
}

/// <summary>A fact that needs the models and Debian's chromium, and skips saying which is missing.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Sets the skip reason when something is missing.</summary>
    public BrowserFactAttribute()
    {
        if (RepoPaths.MissingModels() is { } why)
        {
            Skip = why;
        }
        else if (!File.Exists(PlaygroundTests.Chromium))
        {
            Skip = $"needs Debian's chromium at {PlaygroundTests.Chromium} (bash scripts/setup.sh installs it)";
        }
    }
}
