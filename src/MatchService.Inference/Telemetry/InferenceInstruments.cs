using Prometheus;

namespace MatchService.Inference.Telemetry;

/// <summary>
/// The engine's Prometheus families, declared with their final names, labels and buckets in the host's
/// <see cref="CollectorRegistry"/> (one per host, so engines in one process stay apart). items / batches is the mean
/// batch size, as Triton reports it.
/// </summary>
public sealed class InferenceInstruments
{
    private static readonly double[] SecondsBuckets =
        [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10];

    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly CollectorRegistry _registry;
    private readonly Gauge _pending;
    private readonly Gauge _healthy;

    /// <summary>Declares the families in <paramref name="registry"/> (a new private registry when null).</summary>
    public InferenceInstruments(CollectorRegistry? registry = null)
    {
        _registry = registry ?? Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(_registry);
        QueueTime = factory.CreateHistogram("match_inference_queue_seconds", "Time items waited in a model's queue before their batch ran.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = SecondsBuckets });
        ComputeTime = factory.CreateHistogram("match_inference_compute_seconds", "Time one batch run took on a model instance.",
            new HistogramConfiguration { LabelNames = ["model", "device"], Buckets = SecondsBuckets });
        BatchSize = factory.CreateHistogram("match_inference_batch_size", "Items per batch run.",
            new HistogramConfiguration { LabelNames = ["model"], Buckets = BatchBuckets });
        Items = factory.CreateCounter("match_inference_items_total", "Items run through a model.", "model");
        Batches = factory.CreateCounter("match_inference_batches_total", "Batch runs of a model (items / batches = mean batch size).", "model");
        Dropped = factory.CreateCounter("match_inference_dropped_items_total", "Items dropped before compute, by reason (cancelled, expired).", "model", "reason");
        Rejected = factory.CreateCounter("match_inference_rejected_items_total",
            "Items refused at once: the model's queue was full (reason queue_full) or the work ahead would finish them after their deadline (reason deadline).",
            "model", "reason");
        Failed = factory.CreateCounter("match_inference_failed_batches_total", "Batch runs that failed.", "model", "device");
        _pending = factory.CreateGauge("match_inference_pending_items", "Items waiting in a model's queue.", "model");
        _healthy = factory.CreateGauge("match_inference_instance_healthy", "Whether a model instance is healthy (1) or failing repeatedly (0).", "model", "instance");
    }

    /// <summary>Queue time per item, label <c>model</c>.</summary>
    public Histogram QueueTime { get; }

    /// <summary>Compute time per batch, labels <c>model</c>, <c>device</c>.</summary>
    public Histogram ComputeTime { get; }

    /// <summary>Batch size per run, label <c>model</c>.</summary>
    public Histogram BatchSize { get; }

    /// <summary>Items run, label <c>model</c>.</summary>
    public Counter Items { get; }

    /// <summary>Batch runs, label <c>model</c>.</summary>
    public Counter Batches { get; }

    /// <summary>Dropped items, labels <c>model</c>, <c>reason</c>.</summary>
    public Counter Dropped { get; }

    /// <summary>Refused items, labels <c>model</c> and <c>reason</c> (<c>queue_full</c>, <c>deadline</c>).</summary>
    public Counter Rejected { get; }

    /// <summary>Failed batch runs, labels <c>model</c>, <c>device</c>.</summary>
    public Counter Failed { get; }

    /// <summary>Reads one model's pending items at every scrape.</summary>
    public void ObservePending(string model, Func<int> pending)
    {
        var series = _pending.WithLabels(model);
        _registry.AddBeforeCollectCallback(() => series.Set(pending()));
    }

    /// <summary>Reads one instance's health (1 healthy, 0 unhealthy) at every scrape.</summary>
    public void ObserveHealth(string model, string instance, Func<bool> healthy)
    {
        var series = _healthy.WithLabels(model, instance);
        _registry.AddBeforeCollectCallback(() => series.Set(healthy() ? 1 : 0));
    }
}
