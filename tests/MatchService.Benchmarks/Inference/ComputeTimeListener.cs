using System.Diagnostics.Metrics;
using MatchService.Inference.Telemetry;

namespace MatchService.Benchmarks.Inference;

/// <summary>
/// Collects the batch compute times the engine reports (<c>match_inference_compute_seconds</c>) while a point runs,
/// so that the p99 bound can use the compute time of that very moment rather than the raw figure measured before.
/// </summary>
internal sealed class ComputeTimeListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<double> _seconds = [];

    public ComputeTimeListener()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InferenceInstruments.MeterName && instrument.Name == "match_inference_compute_seconds")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            lock (_seconds)
            {
                _seconds.Add(seconds);
            }
        });
        _listener.Start();
    }

    /// <summary>The mean compute time per batch, in milliseconds, since the last call (0 when none ran).</summary>
    public double TakeMeanMs()
    {
        lock (_seconds)
        {
            var mean = _seconds.Count > 0 ? 1000 * _seconds.Average() : 0;
            _seconds.Clear();
            return mean;
        }
    }

    public void Dispose() => _listener.Dispose();
}
