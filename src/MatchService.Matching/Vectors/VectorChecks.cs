namespace MatchService.Matching.Vectors;

/// <summary>Input validation shared by the methods; every failure names the field and the offending element.</summary>
public static class VectorChecks
{
    /// <summary>Throws unless <paramref name="values"/> is non-empty and every element is finite.</summary>
    public static void RequireFinite(ReadOnlySpan<float> values, string field)
    {
        if (values.IsEmpty)
        {
            throw new MatchingArgumentException(field, "is empty; expected at least one element");
        }

        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new MatchingArgumentException($"{field}[{i}]", $"is {values[i]}; every element must be finite");
            }
        }
    }

    /// <summary>Throws unless every element lies in [0, 1].</summary>
    public static void RequireUnitInterval(ReadOnlySpan<float> values, string field)
    {
        RequireFinite(values, field);
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is < 0f or > 1f)
            {
                throw new MatchingArgumentException($"{field}[{i}]", $"is {values[i]}; confidences must lie in [0, 1]");
            }
        }
    }

    /// <summary>Throws unless the two lengths agree.</summary>
    public static void RequireSameLength(int expected, int actual, string field)
    {
        if (expected != actual)
        {
            throw new MatchingArgumentException(field, $"has {actual} elements; expected {expected} (the same dimension as its counterpart)");
        }
    }
}
