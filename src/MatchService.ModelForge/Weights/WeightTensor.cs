namespace MatchService.ModelForge.Weights;

/// <summary>One dequantised weight tensor from a TensorFlow.js weights manifest (row-major, TensorFlow layout).</summary>
public sealed record WeightTensor(string Name, int[] Shape, float[] Values)
{
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
