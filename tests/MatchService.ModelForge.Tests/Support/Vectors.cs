namespace MatchService.ModelForge.Tests.Support;

internal static class Vectors
{
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * (double)b[i];
            na += a[i] * (double)a[i];
            nb += b[i] * (double)b[i];
        }
        return dot / Math.Sqrt(na * nb);
    }

    public static double Euclidean(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
        {
            s += (a[i] - (double)b[i]) * (a[i] - (double)b[i]);
        }
        return Math.Sqrt(s);
    }

    public static double Norm(ReadOnlySpan<float> a)
    {
        double s = 0;
        foreach (var v in a)
        {
            s += v * (double)v;
        }
        return Math.Sqrt(s);
    }
}
