using MatchService.Inference.Telemetry;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// Reads the batch compute times the engine reports (<c>match_inference_compute_seconds</c>) while a point runs,
/// so that the p99 bound can use the compute time of that very moment rather than the raw figure measured before.
/// </summary>
internal sealed class ComputeTimeListener
{
    private readonly InferenceInstruments _instruments;
    private double _sum;
    private double _count;

    /// <summary>Starts from what the engine has reported so far (warm-up included), so only later batches count.</summary>
    public ComputeTimeListener(InferenceInstruments instruments)
    {
        _instruments = instruments;
        TakeMeanMs();
    }

    /// <summary>The mean compute time per batch, in milliseconds, since the last call (0 when none ran).</summary>
    public double TakeMeanMs()
    {
        var (sum, count) = (0.0, 0.0);
        foreach (var labels in _instruments.ComputeTime.GetAllLabelValues())
        {
            var series = _instruments.ComputeTime.WithLabels(labels);
            sum += series.Sum;
            count += series.Count;
        }

        var mean = count > _count ? 1000 * (sum - _sum) / (count - _count) : 0;
        (_sum, _count) = (sum, count);
        return mean;
    }
}
