namespace MatchService.ModelForge.Weights;

/// <summary>One dequantised weight tensor from a TensorFlow.js weights manifest (row-major, TensorFlow layout).</summary>
public sealed record WeightTensor(string Name, int[] Shape, float[] Values)
{
    /// <summary>The exact values of an int32 tensor (null for float tensors); <see cref="Values"/> holds them as floats too.</summary>
    public int[]? Ints { get; init; }

    /// <summary>Number of elements the shape describes.</summary>
    public static int ElementCount(IReadOnlyList<int> shape)
    {
        var n = 1;
        foreach (var d in shape)
        {
            n *= d;
        }
        return n;
    }
}
