using System.CommandLine;
using System.Globalization;
using MatchService.Contracts.V1;

namespace MatchService.Cli.Commands;

/// <summary>
/// <c>--box NAME:x,y,w,h</c>, shared by compare, verify (a face box) and embed (person boxes): NAME is one of the
/// command's image files, by file name or by the path as typed. A box naming no image is an error rather than a box
/// silently dropped.
/// </summary>
public static class BoxOption
{
    /// <summary>The option, described for what the box selects (e.g. "face", "person").</summary>
    public static Option<string[]> Create(string what, string effect) => new("--box")
    {
        Description = $"A {what} box as NAME:x,y,w,h (pixels, top-left corner and size; NAME = one of the image files, e.g. a.jpg:120,80,200,240). {effect}",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>
    /// The boxes of each image, in the order of <paramref name="images"/> (a list per image, empty when it has none).
    /// Throws <see cref="UsageException"/> for a malformed box, a NAME that is none of the images, or more than
    /// <paramref name="maxPerImage"/> boxes for one image.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<Box>> Resolve(IEnumerable<string>? specs, IReadOnlyList<string> images, int maxPerImage = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(images);
        var boxes = images.Select(_ => new List<Box>()).ToArray();
        foreach (var spec in specs ?? [])
        {
            var (name, box) = Parse(spec);
            var matches = Enumerable.Range(0, images.Count)
                .Where(i => string.Equals(images[i], name, StringComparison.Ordinal) || string.Equals(Path.GetFileName(images[i]), name, StringComparison.Ordinal))
                .ToList();
            if (matches.Count == 0)
            {
                throw new UsageException($"--box '{spec}': '{name}' is not one of the images ({string.Join(", ", images.Select(Path.GetFileName).Distinct(StringComparer.Ordinal))})");
            }

            foreach (var i in matches)
            {
                boxes[i].Add(box);
                if (boxes[i].Count > maxPerImage)
                {
                    throw new UsageException($"--box: {Path.GetFileName(images[i])} has {boxes[i].Count} boxes; at most {maxPerImage} per image");
                }
            }
        }

        return boxes;
    }

    /// <summary>At most one box per image (a face box): each image's box, or null.</summary>
    public static IReadOnlyList<Box?> ResolveOnePerImage(IEnumerable<string>? specs, IReadOnlyList<string> images) =>
        [.. Resolve(specs, images, maxPerImage: 1).Select(b => b.Count > 0 ? b[0] : null)];

    private static (string Name, Box Box) Parse(string spec)
    {
        var colon = spec.LastIndexOf(':');
        var parts = colon > 0 ? spec[(colon + 1)..].Split(',') : [];
        if (parts.Length != 4)
        {
            throw new UsageException($"--box '{spec}': expected NAME:x,y,w,h");
        }

        var v = new float[4];
        for (var i = 0; i < 4; i++)
        {
            if (!float.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out v[i]) || !float.IsFinite(v[i]))
            {
                throw new UsageException($"--box '{spec}': '{parts[i]}' is not a number");
            }
        }

        if (v[2] <= 0 || v[3] <= 0)
        {
            throw new UsageException($"--box '{spec}': width and height must be positive");
        }

        return (spec[..colon], new Box { X = v[0], Y = v[1], Width = v[2], Height = v[3] });
    }
}
