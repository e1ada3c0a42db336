using System.Numerics;

namespace MatchService.Imaging.Geometry;

/// <summary>
/// A 2-D similarity (rotation, uniform scale, translation; no reflection):
/// (x, y) ↦ (A·x − B·y + Tx, B·x + A·y + Ty), with scale = √(A² + B²) and angle = atan2(B, A).
/// Coordinates follow OpenCV's pixel convention: pixel (i, j) has its centre at (i, j).
/// </summary>
public readonly record struct SimilarityTransform(double A, double B, double Tx, double Ty)
{
    /// <summary>The identity.</summary>
    public static SimilarityTransform Identity => new(1, 0, 0, 0);

    /// <summary>Uniform scale factor.</summary>
    public double Scale => Math.Sqrt((A * A) + (B * B));

    /// <summary>Rotation in radians (counter-clockwise in a y-up frame, clockwise on screen).</summary>
    public double Angle => Math.Atan2(B, A);

    /// <summary>Builds a transform from scale, rotation (radians) and translation.</summary>
    public static SimilarityTransform From(double scale, double angle, double tx, double ty) =>
        new(scale * Math.Cos(angle), scale * Math.Sin(angle), tx, ty);

    /// <summary>Maps a point.</summary>
    public Vector2 Apply(Vector2 p) =>
        new((float)((A * p.X) - (B * p.Y) + Tx), (float)((B * p.X) + (A * p.Y) + Ty));

    /// <summary>The inverse transform.</summary>
    public SimilarityTransform Inverse()
    {
        double d = (A * A) + (B * B);
        double ia = A / d, ib = -B / d;
        return new SimilarityTransform(ia, ib, -((ia * Tx) - (ib * Ty)), -((ib * Tx) + (ia * Ty)));
    }

    /// <summary>
    /// Least-squares similarity taking <paramref name="from"/> onto <paramref name="to"/> (Umeyama's method; in 2-D
    /// without reflection it has this closed form). Needs at least two distinct points.
    /// </summary>
    public static SimilarityTransform Estimate(ReadOnlySpan<Vector2> from, ReadOnlySpan<Vector2> to)
    {
        if (from.Length != to.Length || from.Length < 2)
        {
            throw new ArgumentException($"need two equal-length point sets of at least 2 points (got {from.Length} and {to.Length})");
        }

        double mfx = 0, mfy = 0, mtx = 0, mty = 0;
        for (int i = 0; i < from.Length; i++)
        {
            mfx += from[i].X;
            mfy += from[i].Y;
            mtx += to[i].X;
            mty += to[i].Y;
        }

        int n = from.Length;
        mfx /= n;
        mfy /= n;
        mtx /= n;
        mty /= n;
        double dot = 0, cross = 0, norm = 0;
        for (int i = 0; i < n; i++)
        {
            double px = from[i].X - mfx, py = from[i].Y - mfy;
            double qx = to[i].X - mtx, qy = to[i].Y - mty;
            dot += (px * qx) + (py * qy);
            cross += (px * qy) - (py * qx);
            norm += (px * px) + (py * py);
        }

        if (norm < 1e-12)
        {
            throw new ArgumentException("source points coincide; no similarity is defined");
        }

        double a = dot / norm, b = cross / norm;
        return new SimilarityTransform(a, b, mtx - ((a * mfx) - (b * mfy)), mty - ((b * mfx) + (a * mfy)));
    }
}
