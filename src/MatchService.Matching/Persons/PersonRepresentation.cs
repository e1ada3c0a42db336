using System.Numerics.Tensors;
using MatchService.Matching.Vectors;

namespace MatchService.Matching.Persons;

/// <summary>
/// Seed 001's representation f = [w_g · f_g/‖f_g‖, w_h · f_h/‖f_h‖]: the global part first, then the head-shoulder
/// part; each part is L2-normalised first so that the weights alone set their share (‖first part‖ = w_g,
/// ‖second part‖ = w_h).
/// </summary>
public static class PersonRepresentation
{
    /// <summary>Builds f (length dim f_g + dim f_h).</summary>
    public static float[] Build(ReadOnlySpan<float> global, ReadOnlySpan<float> headShoulder, PersonWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        VectorChecks.RequireFinite(global, "global_feature");
        VectorChecks.RequireFinite(headShoulder, "head_shoulder_feature");
        var f = new float[global.Length + headShoulder.Length];
        Scale(global, weights.Global, f.AsSpan(0, global.Length), "global_feature");
        Scale(headShoulder, weights.HeadShoulder, f.AsSpan(global.Length), "head_shoulder_feature");
        return f;
    }

    private static void Scale(ReadOnlySpan<float> source, double weight, Span<float> target, string field)
    {
        var norm = TensorPrimitives.Norm(source);
        if (!(norm > 0f))
        {
            throw new MatchingArgumentException(field, "has zero L2 norm and cannot be normalised");
        }

        TensorPrimitives.Multiply(source, (float)(weight / norm), target);
    }
}
