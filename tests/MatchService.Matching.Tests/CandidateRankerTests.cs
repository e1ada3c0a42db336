using MatchService.Matching.Ranking;

namespace MatchService.Matching.Tests;

public class CandidateRankerTests
{
    private readonly CandidateRanker _ranker = new();

    [Fact]
    public void RankValueIsTwoMinusDistanceAndTheSeedThresholdIsInclusive()
    {
        var result = _ranker.Rank(
        [
            new("keep-boundary", "cup", 0.92),   // r = 1.08 exactly (in decimal): kept
            new("drop", "cup", 0.9201),          // r = 1.0799: removed by the rank filter
            new("keep", "cup", 0.3),
        ]);
        Assert.Equal(["keep", "keep-boundary"], result.Ranked.Select(r => r.Id));
        Assert.Equal(1.7, result.Ranked[0].RankValue, 1e-12);
        var drop = Assert.Single(result.Dropped);
        Assert.Equal("drop", drop.Id);
        Assert.Equal(RankFilter.RankValue, drop.Filter);
        Assert.Equal(2 - 0.9201, drop.Value, 1e-12);
        Assert.Equal(1.08, drop.Limit);
        Assert.Equal(2, result.RankFilteredCount);
    }

    /// <summary>Seed 003, steps 404–405: 30 results, 20 beverage, 8 cup, 2 toy; only toy (e = ln 15 ≈ 2.71) exceeds 2.0; 28 remain.</summary>
    [Fact]
    public void SeedExampleThirtyResultsDropTheToyCategory()
    {
        var rng = new Random(81);
        var candidates = new List<RankCandidate>();
        void AddMany(string category, int count)
        {
            for (var i = 0; i < count; i++)
            {
                candidates.Add(new RankCandidate($"{category}{i}", category, 0.1 + (0.8 * rng.NextDouble())));
            }
        }

        AddMany("beverage", 20);
        AddMany("cup", 8);
        AddMany("toy", 2);
        var result = _ranker.Rank(candidates);

        Assert.Equal(30, result.RankFilteredCount);
        Assert.Equal(28, result.Ranked.Count);
        Assert.DoesNotContain(result.Ranked, r => r.Category == "toy");
        var info = result.Categories.ToDictionary(c => c.Category);
        Assert.Equal(Math.Log(1.5), info["beverage"].Information, 1e-12);
        Assert.Equal(Math.Log(30.0 / 8), info["cup"].Information, 1e-12);
        Assert.Equal(2.71, info["toy"].Information, 0.005);
        Assert.False(info["toy"].Kept);
        Assert.Null(info["toy"].Score);
        Assert.True(info["beverage"].Kept && info["cup"].Kept);
        Assert.Equal(2, result.Dropped.Count);
        Assert.All(result.Dropped, d =>
        {
            Assert.Equal("toy", d.Category);
            Assert.Equal(RankFilter.CategoryInformation, d.Filter);
            Assert.Equal(Math.Log(15), d.Value, 1e-12);
            Assert.Equal(2.0, d.Limit);
        });

        // Positions are recomputed among the 28 survivors: 1..28 with no gaps left by the toys.
        Assert.Equal(Enumerable.Range(1, 28), result.Ranked.Select(r => r.Position).Order());
    }

    [Fact]
    public void CategoryScoreAndFinalOrderOnAHandMadeCase()
    {
        // Positions by r: a(X)=1, b(Y)=2, c(Y)=3, d(X)=4, e(Y)=5.
        // Scores: X = 1 + 1/4 = 1.25, Y = 1/2 + 1/3 + 1/5 ≈ 1.033. X first, members by r.
        var result = _ranker.Rank(
        [
            new("e", "Y", 0.5), new("c", "Y", 0.3), new("a", "X", 0.1), new("d", "X", 0.4), new("b", "Y", 0.2),
        ]);
        Assert.Equal(["a", "d", "b", "c", "e"], result.Ranked.Select(r => r.Id));
        Assert.Equal([1, 4, 2, 3, 5], result.Ranked.Select(r => r.Position));
        Assert.Equal([1, 2, 3, 4, 5], result.Ranked.Select(r => r.Order));
        Assert.Equal(1.25, result.Ranked[0].CategoryScore, 1e-12);
        Assert.Equal((1.0 / 2) + (1.0 / 3) + (1.0 / 5), result.Ranked[2].CategoryScore, 1e-12);
        Assert.Equal(["X", "Y"], result.Categories.Select(c => c.Category));

        // A category with many good members beats one with only the single best: Y = 1/2+…+1/6 ≈ 1.45 > X = 1.
        var many = _ranker.Rank(
        [
            new("x1", "X", 0.1), new("y1", "Y", 0.2), new("y2", "Y", 0.3), new("y3", "Y", 0.4), new("y4", "Y", 0.5), new("y5", "Y", 0.6),
        ]);
        Assert.Equal(["y1", "y2", "y3", "y4", "y5", "x1"], many.Ranked.Select(r => r.Id));
    }

    [Fact]
    public void PositionsAreRecomputedAfterFiltering()
    {
        // The best candidate's category is rare (1 of 10: e = ln 10 ≈ 2.30 > 2) and goes; "b0" then holds position 1.
        var candidates = new List<RankCandidate> { new("rare", "rare", 0.01) };
        for (var i = 0; i < 9; i++)
        {
            candidates.Add(new RankCandidate($"b{i}", "bottle", 0.1 + (0.01 * i)));
        }

        var result = _ranker.Rank(candidates);
        Assert.Equal("rare", Assert.Single(result.Dropped).Id);
        Assert.Equal("b0", result.Ranked[0].Id);
        Assert.Equal(1, result.Ranked[0].Position);
        Assert.Equal(Enumerable.Range(1, 9).Sum(x => 1.0 / x), result.Ranked[0].CategoryScore, 1e-12);
    }

    [Fact]
    public void TiesAreBrokenDeterministically()
    {
        // Equal r: ordered by id; categories with equal score: by best position.
        RankCandidate[] input = [new("q", "A", 0.2), new("p", "B", 0.2)];
        var first = _ranker.Rank(input);
        var reversed = _ranker.Rank(input.Reverse().ToArray());
        Assert.Equal(["p", "q"], first.Ranked.Select(r => r.Id));
        Assert.Equal(first.Ranked.Select(r => (r.Id, r.Position)), reversed.Ranked.Select(r => (r.Id, r.Position)));
        Assert.Equal(["B", "A"], first.Categories.Select(c => c.Category));
    }

    [Fact]
    public void RandomInputsKeepTheInvariants()
    {
        var rng = new Random(91);
        for (var trial = 0; trial < 100; trial++)
        {
            var count = rng.Next(0, 40);
            var candidates = Enumerable.Range(0, count)
                .Select(i => new RankCandidate($"c{i}", $"k{rng.Next(6)}", 2 * rng.NextDouble()))
                .ToArray();
            var result = _ranker.Rank(candidates);
            Assert.Equal(count, result.Ranked.Count + result.Dropped.Count);
            Assert.All(result.Ranked, r => Assert.True(r.RankValue >= 1.08 - 1e-9));
            Assert.Equal(Enumerable.Range(1, result.Ranked.Count), result.Ranked.Select(r => r.Position).Order());

            // Categories appear in contiguous blocks with non-increasing score; members by r.
            var blocks = result.Ranked.Select(r => r.Category).Distinct().ToArray();
            Assert.Equal(blocks.Length, result.Ranked.Select(r => r.Category).Aggregate(new List<string>(), (l, c) => { if (l.Count == 0 || l[^1] != c) { l.Add(c); } return l; }).Count);
            var scores = blocks.Select(b => result.Ranked.First(r => r.Category == b).CategoryScore).ToArray();
            Assert.Equal(scores.OrderDescending(), scores);
            foreach (var b in blocks)
            {
                var members = result.Ranked.Where(r => r.Category == b).Select(r => r.Position).ToArray();
                Assert.Equal(members.Order(), members);
            }
        }
    }

    [Fact]
    public void InvalidCandidatesNameTheField()
    {
        Assert.Equal("candidates[1].id", Assert.Throws<MatchingArgumentException>(() => _ranker.Rank([new("a", "x", 0.1), new("a", "x", 0.2)])).Field);
        Assert.Equal("candidates[0].distance", Assert.Throws<MatchingArgumentException>(() => _ranker.Rank([new("a", "x", double.NaN)])).Field);
        Assert.Equal("candidates[0].distance", Assert.Throws<MatchingArgumentException>(() => _ranker.Rank([new("a", "x", -0.1)])).Field);
        Assert.Equal("candidates[0].id", Assert.Throws<MatchingArgumentException>(() => _ranker.Rank([new("", "x", 0.1)])).Field);
    }

    [Fact]
    public void DistanceIsL2OnUnitVectors()
    {
        Assert.Equal(Math.Sqrt(2), CandidateRanker.Distance([3f, 0f], [0f, 0.5f]), 1e-6);
        Assert.Equal(2.0, CandidateRanker.Distance([1f, 0f], [-4f, 0f]), 1e-6);
    }
}
