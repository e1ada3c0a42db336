using System.Globalization;
using Spectre.Console;

namespace MatchService.Cli.Output;

/// <summary>
/// The console matchctl prints results to, following console conventions: on a terminal, tables and colour at the
/// terminal's width; when standard output is piped or redirected (a file, <c>tee</c>, <c>less</c>), plain text without
/// escape codes and without wrapping, so that every row stays on one line for grep and friends; <c>NO_COLOR</c> (set
/// and not empty, see no-color.org) turns colour and styles off on a terminal too; <c>COLUMNS</c>, when set, is the width.
/// </summary>
public static class OutputConsole
{
    /// <summary>
    /// Width used when the output is not a terminal: wide enough that no table cell or line wraps (Spectre.Console
    /// needs a finite width; rows of this tool are far shorter).
    /// </summary>
    public const int UnboundedWidth = 32_767;

    /// <summary>How the output is to be written, from the facts that decide it.</summary>
    public sealed record Mode(bool Colour, bool Interactive, int? Width)
    {
        /// <summary>
        /// The mode for an output that is redirected or not, with the environment's <c>NO_COLOR</c> and <c>COLUMNS</c>
        /// values (null when unset).
        /// </summary>
        public static Mode For(bool redirected, string? noColor, string? columns)
        {
            int? width = int.TryParse(columns, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0 ? c : null;
            return new Mode(
                Colour: !redirected && string.IsNullOrEmpty(noColor),
                Interactive: !redirected,
                Width: width ?? (redirected ? UnboundedWidth : null));
        }
    }

    /// <summary>The mode of this process's standard output.</summary>
    public static Mode Current => Mode.For(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("COLUMNS"));

    /// <summary>A console writing to <paramref name="writer"/> in <paramref name="mode"/>.</summary>
    public static IAnsiConsole Create(TextWriter writer, Mode mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = mode.Colour ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = mode.Colour ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = mode.Interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (mode.Width is { } width)
        {
            console.Profile.Width = width;
        }

        return console;
    }

    /// <summary>
    /// A console on standard error for progress and warnings, so that standard output carries only results (a
    /// <c>--json</c> document stays parseable); it follows the same conventions for standard error.
    /// </summary>
    public static IAnsiConsole Diagnostics { get; } = Create(Console.Error,
        Mode.For(Console.IsErrorRedirected, Environment.GetEnvironmentVariable("NO_COLOR"), Environment.GetEnvironmentVariable("COLUMNS")));

    /// <summary>
    /// Makes <see cref="AnsiConsole.Console"/> (which every table, progress bar and markup line of matchctl goes through)
    /// follow the conventions for standard output.
    /// </summary>
    public static void Install() => AnsiConsole.Console = Create(Console.Out, Current);
}
