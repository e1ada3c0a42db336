namespace MatchService.Matching.Tests;

/// <summary>Seeded random vectors for property-style tests.</summary>
internal static class TestVectors
{
    public static float[] Gaussian(Random rng, int length, double scale = 1.0)
    {
        var v = new float[length];
        for (var i = 0; i < length; i++)
        {
            v[i] = (float)(scale * Normal(rng));
        }

        return v;
    }

    public static float[] Uniform(Random rng, int length, float lo, float hi)
    {
        var v = new float[length];
        for (var i = 0; i < length; i++)
        {
            v[i] = lo + ((hi - lo) * (float)rng.NextDouble());
        }

        return v;
    }

    public static double Normal(Random rng)
    {
        // Box–Muller; 1 − u keeps the logarithm finite.
        var u = 1.0 - rng.NextDouble();
        var v = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2.0 * Math.PI * v);
    }

    public static double SquaredDistance(float[] a, float[] b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
        }

        return s;
    }
}
