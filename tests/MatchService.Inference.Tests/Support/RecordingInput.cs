using MatchService.Inference.Batching;

namespace MatchService.Inference.Tests.Support;

/// <summary>
/// A vector item that records, in <see cref="PackLog"/>, the order in which the worker packed items (its value), and
/// can hold the worker inside packing until released: a worker held there is a batch still running.
/// </summary>
internal sealed class RecordingInput(float value, PackLog log, int dim, ManualResetEventSlim? hold = null) : IBatchInput
{
    public float Value { get; } = value;

    public void WriteTo(Span<float> slot)
    {
        log.Add(Value);
        if (hold is not null)
        {
            log.Held.Set();
            hold.Wait(TimeSpan.FromSeconds(60));
        }

        for (var i = 0; i < dim; i++)
        {
            slot[i] = Value + i;
        }
    }
}

/// <summary>Which items were packed (that is, computed), in order.</summary>
internal sealed class PackLog
{
    private readonly List<float> _packed = [];

    /// <summary>Set when a holding item has entered packing.</summary>
    public ManualResetEventSlim Held { get; } = new();

    public void Add(float value)
    {
        lock (_packed)
        {
            _packed.Add(value);
        }
    }

    public float[] Packed
    {
        get
        {
            lock (_packed)
            {
                return [.. _packed];
            }
        }
    }
}
