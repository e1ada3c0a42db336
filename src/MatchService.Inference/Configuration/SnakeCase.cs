using System.Text;

namespace MatchService.Inference.Configuration;

/// <summary>Maps enum members to the snake_case words config.json uses, and back.</summary>
public static class SnakeCase
{
    /// <summary>The config word of an enum member, e.g. <c>FaceEmbedder</c> → <c>face_embedder</c>.</summary>
    public static string From<TEnum>(TEnum value)
        where TEnum : struct, Enum => From(value.ToString());

    /// <summary>A PascalCase name in snake_case.</summary>
    public static string From(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (char.IsUpper(c) && i > 0 && !char.IsUpper(pascal[i - 1]))
            {
                sb.Append('_');
            }

            sb.Append(char.ToLowerInvariant(c));
        }

        return sb.ToString();
    }

    /// <summary>All accepted words for an enum, as config.json spells them.</summary>
    public static IReadOnlyList<string> Words<TEnum>()
        where TEnum : struct, Enum => Enum.GetValues<TEnum>().Select(v => From(v)).ToArray();

    /// <summary>The enum member a config word names (case-insensitive).</summary>
    public static bool TryParse<TEnum>(string word, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(From(candidate), word, StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }
}
