using System.Diagnostics.Metrics;

namespace MatchService.Metrics.Instruments;

/// <summary>Images decoded and decode time (meter <c>MatchService.Imaging</c>); the imaging code calls <see cref="RecordDecode"/>.</summary>
public sealed class ImagingMetrics : IDisposable
{
    /// <summary>Meter name.</summary>
    public const string MeterName = "MatchService.Imaging";

    private static readonly double[] Bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5];
    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _decoded;
    private readonly Histogram<double> _decodeTime;

    /// <summary>Creates the instruments.</summary>
    public ImagingMetrics()
    {
        _decoded = _meter.CreateCounter<long>("match_images_decoded", "{image}", "Images decoded, by format and outcome (ok, invalid).");
        _decodeTime = _meter.CreateHistogram<double>("match_image_decode_seconds", "s", "Time to decode one image, by format.",
            advice: new() { HistogramBucketBoundaries = Bounds });
    }

    /// <summary>Records one decode attempt.</summary>
    /// <param name="format"><c>jpeg</c>, <c>png</c>, <c>webp</c> or <c>unknown</c>.</param>
    /// <param name="seconds">Time it took.</param>
    /// <param name="ok">False when the image was rejected.</param>
    public void RecordDecode(string format, double seconds, bool ok = true)
    {
        _decoded.Add(1, new KeyValuePair<string, object?>("format", format), new("outcome", ok ? "ok" : "invalid"));
        _decodeTime.Record(seconds, new KeyValuePair<string, object?>("format", format));
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
