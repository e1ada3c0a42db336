namespace MatchService.Inference.Batching;

/// <summary>
/// One item of a float32 model's batch. The worker calls <see cref="WriteTo"/> with the item's own slot of the pooled
/// batch buffer (exactly <c>input.ElementsPerItem</c> elements, in the model's layout), so items are packed in place
/// with no intermediate tensor. Implementations must fill the whole slot and may throw to fail only this item.
/// </summary>
public interface IBatchInput
{
    /// <summary>Writes this item into its slot of the batch buffer.</summary>
    void WriteTo(Span<float> slot);
}

/// <summary>One item of a uint8 model's batch (raw 0–255 values, normalisation inside the graph).</summary>
public interface IByteBatchInput
{
    /// <summary>Writes this item into its slot of the batch buffer.</summary>
    void WriteTo(Span<byte> slot);
}

/// <summary>An item given as a ready array (vector inputs [B,D], precomputed tensors, tests).</summary>
public sealed class DenseInput(ReadOnlyMemory<float> values) : IBatchInput
{
    /// <summary>The values, in the model's layout.</summary>
    public ReadOnlyMemory<float> Values { get; } = values;

    /// <inheritdoc />
    public void WriteTo(Span<float> slot)
    {
        if (Values.Length != slot.Length)
        {
            throw new ArgumentException($"item has {Values.Length} values; the model input takes {slot.Length} per item");
        }

        Values.Span.CopyTo(slot);
    }
}

/// <summary>A uint8 item given as a ready array.</summary>
public sealed class DenseByteInput(ReadOnlyMemory<byte> values) : IByteBatchInput
{
    /// <summary>The values, in the model's layout.</summary>
    public ReadOnlyMemory<byte> Values { get; } = values;

    /// <inheritdoc />
    public void WriteTo(Span<byte> slot)
    {
        if (Values.Length != slot.Length)
        {
            throw new ArgumentException($"item has {Values.Length} values; the model input takes {slot.Length} per item");
        }

        Values.Span.CopyTo(slot);
    }
}
