using MatchService.Matching.Vectors;

namespace MatchService.Matching.Persons;

/// <summary>A person of the stream: the client's image id and the person's index within that image.</summary>
/// <param name="ImageId">The image's client-chosen id.</param>
/// <param name="PersonIndex">0-based index of the person in that image.</param>
public readonly record struct PersonKey(string ImageId, int PersonIndex);

/// <summary>Settings of the stream summary.</summary>
public sealed record PersonGalleryOptions
{
    /// <summary>
    /// Most persons one stream may hold. Memory is bounded by P·dim floats for the representations, P(P − 1)/2 floats
    /// for the distances kept while the stream runs, and P² floats for the summary matrix: 1024 persons of a 1024-d
    /// representation take 4 MiB + 2 MiB + 4 MiB.
    /// </summary>
    public int MaxPersons { get; init; } = 1024;

    /// <summary>The metric on representations. Cosine: the weights still set the two parts' shares.</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.Cosine;

    /// <summary>Pairs at or below this distance are reported and grouped. 0.2 cosine distance = the seed's "similarity ≥ 80%".</summary>
    public double PairDistanceBound { get; init; } = 0.2;

    /// <summary>Nearest persons in other images listed per person.</summary>
    public int TopN { get; init; } = 5;
}

/// <summary>A pair of persons from different images within the distance bound.</summary>
/// <param name="First">Index of the first person (in <see cref="GallerySummary.Persons"/>).</param>
/// <param name="Second">Index of the second person.</param>
/// <param name="Distance">Their distance.</param>
public readonly record struct PersonPair(int First, int Second, double Distance);

/// <summary>A neighbour of a person in another image.</summary>
/// <param name="Person">Its index.</param>
/// <param name="Distance">The distance.</param>
public readonly record struct PersonNeighbour(int Person, double Distance);

/// <summary>The end-of-stream summary.</summary>
/// <param name="Persons">The persons in the order they were added; matrix rows follow it.</param>
/// <param name="Distances">P × P row-major distance matrix: symmetric, zero diagonal.</param>
/// <param name="Pairs">Cross-image pairs with distance ≤ bound, nearest first.</param>
/// <param name="Nearest">Per person, its top-N nearest persons in other images, nearest first.</param>
/// <param name="Groups">Same-person groups (two or more persons), each at most one person per image.</param>
/// <param name="Options">Bound, top-N, metric, limit as used.</param>
public sealed record GallerySummary(
    IReadOnlyList<PersonKey> Persons,
    float[] Distances,
    IReadOnlyList<PersonPair> Pairs,
    IReadOnlyList<IReadOnlyList<PersonNeighbour>> Nearest,
    IReadOnlyList<IReadOnlyList<int>> Groups,
    PersonGalleryOptions Options);

/// <summary>
/// Collects the persons of an EmbedPersons stream as images finish and summarises them at the end. Each added person's
/// distances to all earlier ones are computed at once (O(P·dim) per person), so the summary costs only the sorting.
/// Not thread-safe: one stream adds from one reader.
/// <para>Groups: pairs within the bound are merged nearest first (single linkage), except that a merge which would put
/// two persons of the same image into one group is skipped — one person appears at most once in an image.</para>
/// </summary>
public sealed class PersonGallery
{
    private readonly List<PersonKey> _keys = [];
    private readonly List<float[]> _vectors = [];
    private readonly List<float[]> _rows = []; // row i holds distances to persons 0..i−1
    private readonly HashSet<PersonKey> _seen = [];

    /// <summary>Creates an empty gallery.</summary>
    public PersonGallery(PersonGalleryOptions? options = null)
    {
        Options = options ?? new PersonGalleryOptions();
        if (Options.MaxPersons < 1 || Options.TopN < 0 || !(Options.PairDistanceBound >= 0))
        {
            throw new MatchingArgumentException("person_gallery", "max persons must be ≥ 1, top-N ≥ 0 and the distance bound ≥ 0");
        }
    }

    /// <summary>The settings every summary reports.</summary>
    public PersonGalleryOptions Options { get; }

    /// <summary>Persons added so far.</summary>
    public int Count => _keys.Count;

    /// <summary>Adds a person's representation; throws at the person limit, for a repeated key or a wrong dimension.</summary>
    public void Add(PersonKey key, ReadOnlySpan<float> representation)
    {
        var field = $"images[{key.ImageId}].persons[{key.PersonIndex}]";
        if (_keys.Count >= Options.MaxPersons)
        {
            throw new MatchingArgumentException(field, $"exceeds the limit of {Options.MaxPersons} persons per stream; split the stream");
        }

        if (_seen.Contains(key))
        {
            throw new MatchingArgumentException(field, "was already added; image ids must be unique within a stream");
        }

        VectorChecks.RequireFinite(representation, $"{field}.representation");
        if (_vectors.Count > 0)
        {
            VectorChecks.RequireSameLength(_vectors[0].Length, representation.Length, $"{field}.representation");
        }

        var row = new float[_vectors.Count];
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = (float)Options.Metric.Distance(representation, _vectors[j]);
        }

        _seen.Add(key);
        _keys.Add(key);
        _vectors.Add(representation.ToArray());
        _rows.Add(row);
    }

    /// <summary>The distance between persons <paramref name="i"/> and <paramref name="j"/>.</summary>
    public float DistanceBetween(int i, int j) => i == j ? 0f : i > j ? _rows[i][j] : _rows[j][i];

    /// <summary>Builds the summary over every person added so far.</summary>
    public GallerySummary Summarize()
    {
        var p = _keys.Count;
        var matrix = new float[p * p];
        for (var i = 0; i < p; i++)
        {
            for (var j = 0; j < i; j++)
            {
                matrix[(i * p) + j] = matrix[(j * p) + i] = _rows[i][j];
            }
        }

        var pairs = new List<PersonPair>();
        for (var i = 0; i < p; i++)
        {
            for (var j = i + 1; j < p; j++)
            {
                if (!SameImage(i, j) && _rows[j][i] <= Options.PairDistanceBound)
                {
                    pairs.Add(new PersonPair(i, j, _rows[j][i]));
                }
            }
        }

        pairs.Sort((a, b) => (a.Distance, a.First, a.Second).CompareTo((b.Distance, b.First, b.Second)));

        var nearest = new IReadOnlyList<PersonNeighbour>[p];
        for (var i = 0; i < p; i++)
        {
            nearest[i] = Enumerable.Range(0, p)
                .Where(j => !SameImage(i, j))
                .Select(j => new PersonNeighbour(j, DistanceBetween(i, j)))
                .OrderBy(n => n.Distance).ThenBy(n => n.Person)
                .Take(Options.TopN)
                .ToArray();
        }

        return new GallerySummary(_keys.ToArray(), matrix, pairs, nearest, Group(pairs), Options);
    }

    private bool SameImage(int i, int j) => string.Equals(_keys[i].ImageId, _keys[j].ImageId, StringComparison.Ordinal);

    private List<IReadOnlyList<int>> Group(List<PersonPair> pairsNearestFirst)
    {
        var parent = Enumerable.Range(0, _keys.Count).ToArray();
        var images = Enumerable.Range(0, _keys.Count).Select(i => new HashSet<string>(StringComparer.Ordinal) { _keys[i].ImageId }).ToArray();
        foreach (var pair in pairsNearestFirst)
        {
            var a = Find(pair.First);
            var b = Find(pair.Second);
            if (a == b || images[a].Overlaps(images[b]))
            {
                continue;
            }

            var (root, child) = a < b ? (a, b) : (b, a);
            parent[child] = root;
            images[root].UnionWith(images[child]);
        }

        return Enumerable.Range(0, _keys.Count)
            .GroupBy(Find)
            .Where(g => g.Count() > 1)
            .Select(g => (IReadOnlyList<int>)g.Order().ToArray())
            .OrderBy(g => g[0])
            .ToList();

        int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }
    }
}
