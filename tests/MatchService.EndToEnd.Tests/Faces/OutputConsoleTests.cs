using MatchService.Cli.Output;
using Spectre.Console;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>matchctl's output conventions decided from the facts (redirected, NO_COLOR, COLUMNS), and what a piped console writes.</summary>
public sealed class OutputConsoleTests
{
    [Theory]
    [InlineData(true, null, null, false, false, OutputConsole.UnboundedWidth)]
    [InlineData(true, null, "200", false, false, 200)]
    [InlineData(false, null, null, true, true, null)]
    [InlineData(false, "1", null, false, true, null)]
    [InlineData(false, "", null, true, true, null)] // NO_COLOR counts only when not empty
    [InlineData(false, null, "120", true, true, 120)]
    [InlineData(true, null, "wide", false, false, OutputConsole.UnboundedWidth)]
    public void TheModeFollowsTheConventions(bool redirected, string? noColor, string? columns, bool colour, bool interactive, int? width) =>
        Assert.Equal(new OutputConsole.Mode(colour, interactive, width), OutputConsole.Mode.For(redirected, noColor, columns));

    [Fact]
    public void APipedConsoleWritesNoEscapesAndDoesNotWrapRows()
    {
        using var text = new StringWriter();
        var console = OutputConsole.Create(text, OutputConsole.Mode.For(redirected: true, noColor: null, columns: null));
        var reason = string.Join(' ', Enumerable.Repeat("luminance", 30));
        console.Write(new Table().AddColumns("verdict", "reason").AddRow("[green]SAME[/]", reason));
        console.MarkupLine("[red]DIFFERENT[/]");
        var written = text.ToString();
        Assert.DoesNotContain('\u001b', written);
        Assert.Contains(written.Split('\n'), line => line.Contains("SAME", StringComparison.Ordinal) && line.Contains(reason, StringComparison.Ordinal));
        Assert.Contains("DIFFERENT", written, StringComparison.Ordinal);
    }
}
