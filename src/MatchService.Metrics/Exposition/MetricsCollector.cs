using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace MatchService.Metrics.Exposition;

/// <summary>
/// Collects the measurements of every <see cref="Meter"/> whose name starts with one of the given prefixes through a
/// <see cref="MeterListener"/>, and aggregates them per label set the way Prometheus reads them: counters summed,
/// gauges and observable instruments as their last value, histograms into the instrument's advised buckets.
/// </summary>
public sealed class MetricsCollector : IDisposable
{
    private static readonly double[] DefaultBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, InstrumentState> _states = new();
    private readonly string[] _prefixes;
    private readonly Lock _collectLock = new();

    /// <summary>Starts listening to meters whose names start with any of <paramref name="meterPrefixes"/>.</summary>
    public MetricsCollector(params string[] meterPrefixes)
    {
        _prefixes = meterPrefixes.Length == 0 ? ["MatchService"] : meterPrefixes;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (_prefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                var state = _states.GetOrAdd(instrument, i => new InstrumentState(i, BoundsOf(i)));
                listener.EnableMeasurementEvents(instrument, state);
            }
        };
        _listener.MeasurementsCompleted = (instrument, state) => _states.TryRemove(instrument, out var _);
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<double>((i, v, t, s) => ((InstrumentState)s!).Record(v, t));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => ((InstrumentState)s!).Record((double)v, t));
        _listener.Start();
    }

    /// <summary>Polls observable instruments and returns every family, sorted by name.</summary>
    public IReadOnlyList<MetricFamily> Collect()
    {
        lock (_collectLock)
        {
            foreach (var state in _states.Values.Where(s => s.IsObservable))
            {
                state.BeginObservation();
            }

            _listener.RecordObservableInstruments();

            // Instruments of the same name (e.g. one observable gauge per model) merge into one family.
            return _states.Values
                .GroupBy(s => s.Name)
                .Select(g => new MetricFamily(g.Key, g.First().Help, g.First().Type, g.First().Bounds, Merge(g.First().Type, g.SelectMany(s => s.Snapshot()))))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .ToArray();
        }
    }

    /// <summary>The current exposition text.</summary>
    public string Scrape()
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        PrometheusTextFormat.Write(writer, Collect());
        return writer.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>Series with equal labels from several instruments of one name (several meters) become one.</summary>
    private static MetricSeries[] Merge(MetricType type, IEnumerable<MetricSeries> series) => series
        .GroupBy(x => LabelKey(x.Labels), StringComparer.Ordinal)
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => g.Skip(1).Aggregate(g.First(), (a, b) => type switch
        {
            MetricType.Gauge => b,
            MetricType.Counter => a with { Value = a.Value + b.Value },
            _ => a with
            {
                BucketCounts = a.BucketCounts!.Zip(b.BucketCounts!, (x, y) => x + y).ToArray(),
                Sum = a.Sum + b.Sum,
                Count = a.Count + b.Count,
            },
        }))
        .ToArray();

    private static string LabelKey(IReadOnlyList<KeyValuePair<string, string>> labels) => string.Join(',', labels.Select(l => l.Key + "=" + l.Value));

    private static double[] BoundsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray() ?? DefaultBounds,
        Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBounds,
        Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBounds,
        Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(b => (double)b).ToArray() ?? DefaultBounds,
        _ => DefaultBounds,
    };

    /// <summary>Aggregates of one instrument, per label set.</summary>
    private sealed class InstrumentState
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly bool _isCounter;
        private readonly bool _lastValue;

        public InstrumentState(Instrument instrument, double[] bounds)
        {
            var kind = instrument.GetType().GetGenericTypeDefinition().Name;
            _isCounter = kind.StartsWith("Counter", StringComparison.Ordinal) || kind.StartsWith("ObservableCounter", StringComparison.Ordinal);
            IsObservable = instrument.IsObservable;
            Type = kind.StartsWith("Histogram", StringComparison.Ordinal) ? MetricType.Histogram
                : _isCounter ? MetricType.Counter
                : MetricType.Gauge;

            // Observable instruments and gauges report a current value; counters and up-down counters report deltas.
            _lastValue = IsObservable || kind.StartsWith("Gauge", StringComparison.Ordinal);
            Bounds = Type == MetricType.Histogram ? bounds : [];
            var name = PrometheusTextFormat.SanitizeName(instrument.Name);
            Name = Type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
            Help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description;
        }

        public string Name { get; }

        public string Help { get; }

        public MetricType Type { get; }

        public bool IsObservable { get; }

        public double[] Bounds { get; }

        public void BeginObservation()
        {
            // An observable series that its callback no longer reports should disappear.
            _series.Clear();
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = new KeyValuePair<string, string>[tags.Length];
            for (var i = 0; i < tags.Length; i++)
            {
                labels[i] = new(PrometheusTextFormat.SanitizeName(tags[i].Key, allowColon: false),
                    Convert.ToString(tags[i].Value, CultureInfo.InvariantCulture) ?? string.Empty);
            }

            Array.Sort(labels, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var series = _series.GetOrAdd(LabelKey(labels), _ => new Series(labels, Bounds.Length + 1));
            lock (series)
            {
                if (Type == MetricType.Histogram)
                {
                    var bucket = Array.BinarySearch(Bounds, value);
                    series.Buckets[bucket >= 0 ? bucket : ~bucket]++;
                    series.Sum += value;
                    series.Count++;
                }
                else if (_lastValue)
                {
                    series.Value = value;
                }
                else
                {
                    series.Value += value;
                }
            }
        }

        public List<MetricSeries> Snapshot()
        {
            var list = new List<MetricSeries>(_series.Count);
            foreach (var s in _series.Values)
            {
                lock (s)
                {
                    list.Add(new MetricSeries(s.Labels, s.Value, Type == MetricType.Histogram ? (long[])s.Buckets.Clone() : null, s.Sum, s.Count));
                }
            }

            return list;
        }
    }

    private sealed class Series(KeyValuePair<string, string>[] labels, int buckets)
    {
        public KeyValuePair<string, string>[] Labels { get; } = labels;

        public long[] Buckets { get; } = new long[buckets];

        public double Value { get; set; }

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
