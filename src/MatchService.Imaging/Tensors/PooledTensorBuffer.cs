using System.Buffers;

namespace MatchService.Imaging.Tensors;

/// <summary>
/// A batch of float tensors in one array rented from the shared pool: <see cref="Slot"/> hands out the span for
/// item i, which <see cref="TensorPacker"/> fills in place. Dispose returns the array.
/// </summary>
public sealed class PooledTensorBuffer : IDisposable
{
    private float[]? _data;

    /// <summary>Rents room for <paramref name="batchSize"/> images of <paramref name="spec"/>.</summary>
    public PooledTensorBuffer(TensorSpec spec, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ItemLength = spec.ElementCount;
        BatchSize = batchSize;
        _data = ArrayPool<float>.Shared.Rent(checked(ItemLength * batchSize));
    }

    /// <summary>Elements per item.</summary>
    public int ItemLength { get; }

    /// <summary>Items in the batch.</summary>
    public int BatchSize { get; }

    /// <summary>The whole batch, item after item.</summary>
    public Span<float> Data => (_data ?? throw new ObjectDisposedException(nameof(PooledTensorBuffer))).AsSpan(0, ItemLength * BatchSize);

    /// <summary>The slot of item <paramref name="index"/>.</summary>
    public Span<float> Slot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, BatchSize);
        return Data.Slice(index * ItemLength, ItemLength);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        var data = Interlocked.Exchange(ref _data, null);
        if (data is not null)
        {
            ArrayPool<float>.Shared.Return(data);
        }
    }
}
