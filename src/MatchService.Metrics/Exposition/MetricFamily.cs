namespace MatchService.Metrics.Exposition;

/// <summary>Prometheus metric types this exporter writes.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>One labelled series of a family at scrape time.</summary>
/// <param name="Labels">Label pairs, sorted by name.</param>
/// <param name="Value">Counter or gauge value (unused for histograms).</param>
/// <param name="BucketCounts">Histogram: count per upper bound (not cumulative), the last for +Inf.</param>
/// <param name="Sum">Histogram: sum of observations.</param>
/// <param name="Count">Histogram: number of observations.</param>
public sealed record MetricSeries(
    IReadOnlyList<KeyValuePair<string, string>> Labels,
    double Value,
    long[]? BucketCounts = null,
    double Sum = 0,
    long Count = 0);

/// <summary>A metric family: name, help, type, and its series.</summary>
/// <param name="Name">Prometheus name (counters end in <c>_total</c>).</param>
/// <param name="Help">Help text.</param>
/// <param name="Type">Metric type.</param>
/// <param name="Bounds">Histogram: bucket upper bounds, ascending, without +Inf.</param>
/// <param name="Series">The series.</param>
public sealed record MetricFamily(string Name, string Help, MetricType Type, IReadOnlyList<double> Bounds, IReadOnlyList<MetricSeries> Series);
