using System.Globalization;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>Reads one sample from the server's Prometheus text exposition (GET /metrics).</summary>
internal static class MetricsScrape
{
    private static readonly HttpClient Http = new();

    /// <summary>The value of <paramref name="name"/> whose labels contain <paramref name="label"/>; 0 when the series does not exist yet.</summary>
    public static async Task<double> ValueAsync(Uri metrics, string name, string label)
    {
        var text = await Http.GetStringAsync(metrics);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(label, StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }
}
