namespace MatchService.Matching.Ranking;

/// <summary>A candidate to rank: its id, its category and its distance to the query (L2 on unit vectors, 0–2).</summary>
/// <param name="Id">The client's id (unique in the request).</param>
/// <param name="Category">The candidate's category, e.g. "beverage".</param>
/// <param name="Distance">Distance to the query feature.</param>
public sealed record RankCandidate(string Id, string Category, double Distance);

/// <summary>Which filter removed a candidate.</summary>
public enum RankFilter
{
    /// <summary>r below the minimum rank value.</summary>
    RankValue,

    /// <summary>Its category's information content above E_max.</summary>
    CategoryInformation,
}

/// <summary>A kept candidate in the final order.</summary>
/// <param name="Id">Id.</param>
/// <param name="Category">Category.</param>
/// <param name="Distance">Distance.</param>
/// <param name="RankValue">r = 2 − distance.</param>
/// <param name="Position">X: 1-based place by r among the candidates that passed both filters.</param>
/// <param name="CategoryScore">Σ 1/X over the candidate's category.</param>
/// <param name="Order">1-based place in the final, category-grouped order.</param>
public sealed record RankedCandidate(string Id, string Category, double Distance, double RankValue, int Position, double CategoryScore, int Order);

/// <summary>A removed candidate and why.</summary>
/// <param name="Id">Id.</param>
/// <param name="Category">Category.</param>
/// <param name="RankValue">r = 2 − distance.</param>
/// <param name="Filter">The filter that removed it.</param>
/// <param name="Value">The filtered value: r for the rank filter, e_c for the category filter.</param>
/// <param name="Limit">The limit it failed.</param>
public sealed record DroppedCandidate(string Id, string Category, double RankValue, RankFilter Filter, double Value, double Limit);

/// <summary>A category among the candidates that passed the rank filter.</summary>
/// <param name="Category">Name.</param>
/// <param name="Count">n_c.</param>
/// <param name="Information">e_c = −ln(n_c / n).</param>
/// <param name="Kept">Whether it passed the information filter.</param>
/// <param name="Score">Σ 1/X over its members when kept; null when dropped.</param>
public sealed record CategoryStat(string Category, int Count, double Information, bool Kept, double? Score);

/// <summary>RankCandidates' answer.</summary>
/// <param name="Ranked">Kept candidates: categories by score, members by r.</param>
/// <param name="Dropped">Removed candidates, in input order.</param>
/// <param name="Categories">Per category after the rank filter, in final order (kept first), then dropped by e_c.</param>
/// <param name="RankFilteredCount">n: candidates that passed the rank filter (the base of e_c).</param>
/// <param name="Options">The limits used.</param>
public sealed record RankResult(
    IReadOnlyList<RankedCandidate> Ranked,
    IReadOnlyList<DroppedCandidate> Dropped,
    IReadOnlyList<CategoryStat> Categories,
    int RankFilteredCount,
    RankOptions Options);
