using System.Diagnostics.Metrics;

namespace MatchService.Inference.Telemetry;

/// <summary>
/// The engine's instruments (meter <c>MatchService.Inference</c>), named in Prometheus conventions; the metrics
/// exporter adds <c>_total</c> to counters. Ratio items/batches is the mean batch size, as Triton reports it.
/// </summary>
public sealed class InferenceInstruments : IDisposable
{
    /// <summary>The meter name exporters subscribe to.</summary>
    public const string MeterName = "MatchService.Inference";

    private static readonly double[] SecondsBuckets =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a new meter.</summary>
    public InferenceInstruments(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        QueueTime = _meter.CreateHistogram<double>("match_inference_queue_seconds", "s",
            "Time items waited in a model's queue before their batch ran.", advice: new() { HistogramBucketBoundaries = SecondsBuckets });
        ComputeTime = _meter.CreateHistogram<double>("match_inference_compute_seconds", "s",
            "Time one batch run took on a model instance.", advice: new() { HistogramBucketBoundaries = SecondsBuckets });
        BatchSize = _meter.CreateHistogram<int>("match_inference_batch_size", "{item}",
            "Items per batch run.", advice: new() { HistogramBucketBoundaries = [.. BatchBuckets.Select(b => (int)b)] });
        Items = _meter.CreateCounter<long>("match_inference_items", "{item}", "Items run through a model.");
        Batches = _meter.CreateCounter<long>("match_inference_batches", "{batch}", "Batch runs of a model (items / batches = mean batch size).");
        Dropped = _meter.CreateCounter<long>("match_inference_dropped_items", "{item}", "Items dropped before compute, by reason (cancelled, expired).");
        Rejected = _meter.CreateCounter<long>("match_inference_rejected_items", "{item}", "Items refused at once: the model's queue was full (reason queue_full) or the work ahead would finish them after their deadline (reason deadline).");
        Failed = _meter.CreateCounter<long>("match_inference_failed_batches", "{batch}", "Batch runs that failed.");
    }

    /// <summary>Queue time per item, label <c>model</c>.</summary>
    public Histogram<double> QueueTime { get; }

    /// <summary>Compute time per batch, labels <c>model</c>, <c>device</c>.</summary>
    public Histogram<double> ComputeTime { get; }

    /// <summary>Batch size per run, label <c>model</c>.</summary>
    public Histogram<int> BatchSize { get; }

    /// <summary>Items run, label <c>model</c>.</summary>
    public Counter<long> Items { get; }

    /// <summary>Batch runs, label <c>model</c>.</summary>
    public Counter<long> Batches { get; }

    /// <summary>Dropped items, labels <c>model</c>, <c>reason</c>.</summary>
    public Counter<long> Dropped { get; }

    /// <summary>Refused items, labels <c>model</c> and <c>reason</c> (<c>queue_full</c>, <c>deadline</c>).</summary>
    public Counter<long> Rejected { get; }

    /// <summary>Failed batch runs, labels <c>model</c>, <c>device</c>.</summary>
    public Counter<long> Failed { get; }

    /// <summary>Registers the pending-items gauge of one model.</summary>
    public void ObservePending(string model, Func<int> pending) =>
        _meter.CreateObservableGauge("match_inference_pending_items", () => new Measurement<int>(pending(), new KeyValuePair<string, object?>("model", model)),
            "{item}", "Items waiting in a model's queue.");

    /// <summary>Registers the health gauge of one instance (1 healthy, 0 unhealthy).</summary>
    public void ObserveHealth(string model, string instance, Func<bool> healthy) =>
        _meter.CreateObservableGauge("match_inference_instance_healthy",
            () => new Measurement<int>(healthy() ? 1 : 0, new("model", model), new("instance", instance)),
            null, "Whether a model instance is healthy (1) or failing repeatedly (0).");

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
