using Prometheus;

namespace MatchService.Server.Telemetry;

/// <summary>Images decoded and decode time (recorded by the image intake).</summary>
internal sealed class ImagingMetrics(CollectorRegistry registry)
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];

    private readonly Counter _decoded = Metrics.WithCustomRegistry(registry)
        .CreateCounter("match_images_decoded_total", "Images decoded, by format and outcome (ok, invalid).", "format", "outcome");

    private readonly Histogram _decodeTime = Metrics.WithCustomRegistry(registry)
        .CreateHistogram("match_image_decode_seconds", "Time to decode one image, by format.",
            new HistogramConfiguration { LabelNames = ["format"], Buckets = Buckets });

    /// <summary>Records one decode attempt.</summary>
    /// <param name="format"><c>jpeg</c>, <c>png</c>, <c>webp</c> or <c>unknown</c>.</param>
    /// <param name="seconds">Time it took.</param>
    /// <param name="ok">False when the image was rejected.</param>
    public void RecordDecode(string format, double seconds, bool ok = true)
    {
        _decoded.WithLabels(format, ok ? "ok" : "invalid").Inc();
        _decodeTime.WithLabels(format).Observe(seconds);
    }
}
