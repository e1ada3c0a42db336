using MatchService.Matching.Vectors;

namespace MatchService.Matching.Ranking;

/// <summary>
/// Seed 003's ranking of candidates against one query feature (for apparel: one garment region).
/// <list type="number">
/// <item>r = 2 − distance; keep r ≥ r_min.</item>
/// <item>Among the n kept: e_c = −ln(n_c / n) per category; drop every category with e_c &gt; E_max.</item>
/// <item>Position X (1-based) by r descending among the candidates left after both filters — the seed orders "the second
/// target similar image set" (FIG. 6, step 608), so positions are recomputed after filtering and run 1..m without gaps.</item>
/// <item>Category score Σ 1/X_i; categories by score descending, members by r descending.</item>
/// </list>
/// Ties: equal r are ordered by id (ordinal), then input order; equal category scores by the category's best position
/// (positions are unique, so this always decides).
/// </summary>
public sealed class CandidateRanker
{
    /// <summary>Creates the ranker.</summary>
    public CandidateRanker(RankOptions? options = null)
    {
        Options = options ?? new RankOptions();
        if (!double.IsFinite(Options.MinRankValue) || !(Options.MaxCategoryInformation >= 0) || !(Options.Tolerance >= 0))
        {
            throw new MatchingArgumentException("rank_options", "min rank value must be finite, E_max and the tolerance ≥ 0");
        }
    }

    /// <summary>The limits every result reports.</summary>
    public RankOptions Options { get; }

    /// <summary>The seed's distance: L2 between the L2-normalised query and candidate features (0–2).</summary>
    public static double Distance(ReadOnlySpan<float> query, ReadOnlySpan<float> candidate) =>
        VectorMetric.UnitEuclidean.Distance(query, candidate);

    /// <summary>Ranks the candidates.</summary>
    public RankResult Rank(IReadOnlyList<RankCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        Validate(candidates);
        var dropped = new List<(int Index, DroppedCandidate Drop)>();

        // 1. Rank value.
        var kept = new List<int>();
        for (var i = 0; i < candidates.Count; i++)
        {
            var r = 2.0 - candidates[i].Distance;
            if (r >= Options.MinRankValue - Options.Tolerance)
            {
                kept.Add(i);
            }
            else
            {
                dropped.Add((i, new DroppedCandidate(candidates[i].Id, candidates[i].Category, r, RankFilter.RankValue, r, Options.MinRankValue)));
            }
        }

        // 2. Category information content among the kept.
        var n = kept.Count;
        var information = kept
            .GroupBy(i => candidates[i].Category, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Count: g.Count(), E: -Math.Log((double)g.Count() / n)), StringComparer.Ordinal);
        var survivors = new List<int>();
        foreach (var i in kept)
        {
            var e = information[candidates[i].Category].E;
            if (e > Options.MaxCategoryInformation + Options.Tolerance)
            {
                dropped.Add((i, new DroppedCandidate(candidates[i].Id, candidates[i].Category, 2.0 - candidates[i].Distance, RankFilter.CategoryInformation, e, Options.MaxCategoryInformation)));
            }
            else
            {
                survivors.Add(i);
            }
        }

        // 3. Positions among the survivors, by r descending (= distance ascending).
        var byRank = survivors
            .OrderBy(i => candidates[i].Distance)
            .ThenBy(i => candidates[i].Id, StringComparer.Ordinal)
            .ThenBy(i => i)
            .ToArray();
        var position = new Dictionary<int, int>();
        for (var p = 0; p < byRank.Length; p++)
        {
            position[byRank[p]] = p + 1;
        }

        // 4. Category scores and the grouped order.
        var groups = byRank
            .GroupBy(i => candidates[i].Category, StringComparer.Ordinal)
            .Select(g => (Category: g.Key, Members: g.ToArray(), Score: g.Sum(i => 1.0 / position[i]), Best: position[g.First()]))
            .OrderByDescending(g => g.Score)
            .ThenBy(g => g.Best)
            .ToArray();

        var ranked = new List<RankedCandidate>(byRank.Length);
        foreach (var group in groups)
        {
            foreach (var i in group.Members)
            {
                var c = candidates[i];
                ranked.Add(new RankedCandidate(c.Id, c.Category, c.Distance, 2.0 - c.Distance, position[i], group.Score, ranked.Count + 1));
            }
        }

        var categories = groups
            .Select(g => new CategoryStat(g.Category, information[g.Category].Count, information[g.Category].E, true, g.Score))
            .Concat(information
                .Where(kv => groups.All(g => g.Category != kv.Key))
                .OrderBy(kv => kv.Value.E).ThenBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => new CategoryStat(kv.Key, kv.Value.Count, kv.Value.E, false, null)))
            .ToArray();

        return new RankResult(ranked, dropped.OrderBy(d => d.Index).Select(d => d.Drop).ToArray(), categories, n, Options);
    }

    private static void Validate(IReadOnlyList<RankCandidate> candidates)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < candidates.Count; i++)
        {
            var c = candidates[i] ?? throw new MatchingArgumentException($"candidates[{i}]", "is null");
            if (string.IsNullOrEmpty(c.Id))
            {
                throw new MatchingArgumentException($"candidates[{i}].id", "is empty; every candidate needs an id");
            }

            if (!ids.Add(c.Id))
            {
                throw new MatchingArgumentException($"candidates[{i}].id", $"'{c.Id}' appears twice; ids must be unique");
            }

            if (c.Category is null)
            {
                throw new MatchingArgumentException($"candidates[{i}].category", "is missing");
            }

            if (!double.IsFinite(c.Distance) || c.Distance < 0)
            {
                throw new MatchingArgumentException($"candidates[{i}].distance", $"is {c.Distance}; expected a finite distance ≥ 0");
            }
        }
    }
}
