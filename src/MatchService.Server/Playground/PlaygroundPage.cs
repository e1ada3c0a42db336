namespace MatchService.Server.Playground;

/// <summary>The page (Playground/playground.html, embedded: no files to deploy, nothing built with npm).</summary>
internal static class PlaygroundPage
{
    /// <summary>The HTML with its script and style.</summary>
    public static string Html { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(PlaygroundPage).Assembly.GetManifestResourceStream("MatchService.Server.Playground.playground.html")
            ?? throw new InvalidOperationException("the embedded playground.html is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
