using System.Globalization;
using System.Net;
using System.Text;
using MatchService.Cli.Commands;
using ScottPlot;

namespace MatchService.Cli.Reports;

/// <summary>
/// A picture report: key figures and ScottPlot charts, saved by the file's extension: <c>.html</c> (the figures as a
/// table and every chart as inline SVG, one self-contained file), <c>.svg</c> (the charts stacked in one SVG) or
/// <c>.png</c> (the charts stacked in one image).
/// </summary>
public sealed class Report(string title)
{
    /// <summary>Size of one chart in pixels.</summary>
    public const int ChartWidth = 900, ChartHeight = 420;

    private static readonly string[] Extensions = [".html", ".svg", ".png"];

    /// <summary>The report's title.</summary>
    public string Title { get; } = title;

    /// <summary>Key figures (name, value), shown as a table in HTML.</summary>
    public List<(string Name, string Value)> Figures { get; } = [];

    /// <summary>The charts, top to bottom.</summary>
    public List<Plot> Charts { get; } = [];

    /// <summary>
    /// The report option of a command (<c>--report FILE.html|.svg|.png</c>).
    /// </summary>
    public static System.CommandLine.Option<FileInfo?> Option(string what) => new("--report")
    {
        Description = $"Also write {what} as a picture: FILE.html (figures and charts, self-contained), FILE.svg or FILE.png.",
    };

    /// <summary>Throws <see cref="UsageException"/> for a file name whose extension is none of the formats (checked before any call).</summary>
    public static void CheckPath(FileInfo? file)
    {
        if (file is not null && !Extensions.Contains(file.Extension.ToLowerInvariant()))
        {
            throw new UsageException($"--report {file.Name}: give a .html, .svg or .png file");
        }
    }

    /// <summary>A chart with a title and axis labels, added to the report.</summary>
    public Plot AddChart(string chartTitle, string xLabel, string yLabel)
    {
        var plot = new Plot();
        plot.Title(chartTitle);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        Charts.Add(plot);
        return plot;
    }

    /// <summary>Writes the report in the format its extension names.</summary>
    public void Save(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        CheckPath(file);
        Directory.CreateDirectory(file.DirectoryName!);
        switch (file.Extension.ToLowerInvariant())
        {
            case ".png":
                // Multiplot() would start with an empty plot of its own: start it with the first chart.
                var multiplot = new Multiplot(Charts[0]);
                foreach (var chart in Charts.Skip(1))
                {
                    multiplot.AddPlot(chart);
                }

                multiplot.SavePng(file.FullName, ChartWidth, ChartHeight * Charts.Count);
                break;
            case ".svg":
                File.WriteAllText(file.FullName, StackedSvg());
                break;
            default:
                File.WriteAllText(file.FullName, Html());
                break;
        }
    }

    /// <summary>The number as the tables print it.</summary>
    public static string F(double value, int digits = 3) => value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private string StackedSvg()
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{ChartWidth}\" height=\"{ChartHeight * Charts.Count}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{WebUtility.HtmlEncode(Title)}</title>");
        for (var i = 0; i < Charts.Count; i++)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<g transform=\"translate(0,{i * ChartHeight})\">{ChartSvg(Charts[i])}</g>");
        }

        return svg.Append("</svg>").ToString();
    }

    private string Html()
    {
        var html = new StringBuilder();
        var title = WebUtility.HtmlEncode(Title);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{title}</title>
            <style>body{"{"}font-family:sans-serif;margin:2em{"}"} table{"{"}border-collapse:collapse{"}"} td,th{"{"}border:1px solid #ccc;padding:2px 8px;text-align:left{"}"}</style>
            </head><body><h1>{title}</h1>
            <table>
            """);
        foreach (var (name, value) in Figures)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th>{WebUtility.HtmlEncode(name)}</th><td>{WebUtility.HtmlEncode(value)}</td></tr>\n");
        }

        html.Append("</table>\n");
        foreach (var chart in Charts)
        {
            html.Append("<figure>").Append(ChartSvg(chart)).Append("</figure>\n");
        }

        return html.Append("</body></html>\n").ToString();
    }

    // ScottPlot's SVG document without its XML declaration, to nest inside another document.
    private static string ChartSvg(Plot chart)
    {
        var svg = chart.GetSvgXml(ChartWidth, ChartHeight);
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }
}
