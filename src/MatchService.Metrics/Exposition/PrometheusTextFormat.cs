using System.Globalization;
using System.Text;

namespace MatchService.Metrics.Exposition;

/// <summary>
/// Writes metric families in the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> per family,
/// escaped help text and label values, histograms as cumulative <c>_bucket{le=...}</c> series ending in <c>+Inf</c>,
/// then <c>_sum</c> and <c>_count</c>.
/// </summary>
public static class PrometheusTextFormat
{
    /// <summary>The Content-Type of this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Writes every family, in the order given.</summary>
    public static void Write(TextWriter writer, IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(families);
        foreach (var f in families)
        {
            writer.Write("# HELP ");
            writer.Write(f.Name);
            writer.Write(' ');
            writer.Write(EscapeHelp(f.Help));
            writer.Write('\n');
            writer.Write("# TYPE ");
            writer.Write(f.Name);
            writer.Write(' ');
            writer.Write(f.Type switch { MetricType.Counter => "counter", MetricType.Gauge => "gauge", _ => "histogram" });
            writer.Write('\n');
            foreach (var s in f.Series)
            {
                if (f.Type == MetricType.Histogram)
                {
                    WriteHistogram(writer, f, s);
                }
                else
                {
                    WriteSample(writer, f.Name, s.Labels, null, s.Value);
                }
            }
        }
    }

    /// <summary>Escapes help text: backslash and line feed.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>A sample value as Prometheus reads it (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, or a shortest round-trip number).</summary>
    public static string FormatValue(double v) =>
        double.IsPositiveInfinity(v) ? "+Inf"
        : double.IsNegativeInfinity(v) ? "-Inf"
        : double.IsNaN(v) ? "NaN"
        : v.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A metric or label name reduced to Prometheus' character set (<c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>).</summary>
    public static string SanitizeName(string name, bool allowColon = true)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            sb.Append(ok ? c : '_');
        }

        if (sb.Length == 0 || char.IsAsciiDigit(sb[0]))
        {
            sb.Insert(0, '_');
        }

        return sb.ToString();
    }

    private static void WriteHistogram(TextWriter writer, MetricFamily f, MetricSeries s)
    {
        var cumulative = 0L;
        var counts = s.BucketCounts ?? new long[f.Bounds.Count + 1];
        for (var i = 0; i <= f.Bounds.Count; i++)
        {
            cumulative += i < counts.Length ? counts[i] : 0;
            var le = i < f.Bounds.Count ? FormatValue(f.Bounds[i]) : "+Inf";
            WriteSample(writer, f.Name + "_bucket", s.Labels, le, cumulative);
        }

        WriteSample(writer, f.Name + "_sum", s.Labels, null, s.Sum);
        WriteSample(writer, f.Name + "_count", s.Labels, null, s.Count);
    }

    private static void WriteSample(TextWriter writer, string name, IReadOnlyList<KeyValuePair<string, string>> labels, string? le, double value)
    {
        writer.Write(name);
        if (labels.Count > 0 || le is not null)
        {
            writer.Write('{');
            var first = true;
            foreach (var (k, v) in labels)
            {
                if (!first)
                {
                    writer.Write(',');
                }

                first = false;
                writer.Write(k);
                writer.Write("=\"");
                writer.Write(EscapeLabelValue(v));
                writer.Write('"');
            }

            if (le is not null)
            {
                if (!first)
                {
                    writer.Write(',');
                }

                writer.Write("le=\"");
                writer.Write(le);
                writer.Write('"');
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }
}
