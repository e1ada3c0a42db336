namespace MatchService.ModelForge.TestModels;

/// <summary>Reproducible pseudo-random weights (xorshift64*), so test models are identical on every run and machine.</summary>
public sealed class SeededWeights(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    /// <summary><paramref name="count"/> values uniform in [−scale, scale].</summary>
    public float[] Uniform(int count, float scale)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            _state ^= _state >> 12;
            _state ^= _state << 25;
            _state ^= _state >> 27;
            var unit = ((_state * 0x2545F4914F6CDD1DUL) >> 40) / (double)(1UL << 24);
            values[i] = (float)(((unit * 2) - 1) * scale);
        }
        return values;
    }
}
