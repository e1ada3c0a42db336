using MatchService.Contracts.V1;
using MatchService.Matching.Ranking;
using MatchService.Server.Persons;
using MatchRankResult = MatchService.Matching.Ranking.RankResult;
using ProtoDropped = MatchService.Contracts.V1.DroppedCandidate;
using ProtoRanked = MatchService.Contracts.V1.RankedCandidate;

namespace MatchService.Server.Products;

/// <summary>Maps RankCandidates results to the contract's messages.</summary>
internal static class RankMessages
{
    public static RankRegion Region(QueryRegion region, MatchRankResult result)
    {
        var message = new RankRegion { Box = PersonMessages.ToProto(region.Box), Label = region.Label, Score = region.Score };
        message.Results.AddRange(result.Ranked.Select(r => new ProtoRanked
        {
            Id = r.Id,
            Category = r.Category,
            RankValue = (float)r.RankValue,
            Distance = (float)r.Distance,
            Position = r.Position,
            CategoryScore = (float)r.CategoryScore,
        }));
        message.Dropped.AddRange(result.Dropped.Select(d => new ProtoDropped
        {
            Id = d.Id,
            Category = d.Category,
            Filter = d.Filter == RankFilter.RankValue ? DropFilter.RankThreshold : DropFilter.CategoryInformation,
            Value = (float)d.Value,
            Limit = (float)d.Limit,
        }));
        message.Categories.AddRange(result.Categories.Select(c => new CategoryInformation
        {
            Category = c.Category,
            Count = c.Count,
            InformationContent = (float)c.Information,
            Dropped = !c.Kept,
        }));
        return message;
    }

    /// <summary>One object of the intent evidence; <c>counts_as</c> follows CocoIntent's table (a person counts as apparel when dominant).</summary>
    public static IntentEvidence ToProto(IntentFinding finding, CocoIntentOptions options)
    {
        ArgumentNullException.ThrowIfNull(finding);
        ArgumentNullException.ThrowIfNull(options);
        var found = finding.Found;
        return new IntentEvidence
        {
            Label = found.Label,
            Score = found.Score,
            AreaShare = found.AreaShare,
            Box = PersonMessages.ToProto(finding.Box),
            CountsAs = found.Role switch
            {
                CocoRole.Person => found.AreaShare >= options.DominantPersonShare ? Intent.Apparel : Intent.NonCommodity,
                CocoRole.Accessory => Intent.Apparel,
                CocoRole.Commodity => Intent.OtherCommodity,
                _ => Intent.NonCommodity,
            },
        };
    }

    public static Intent ToProto(IntentCategory intent) => intent switch
    {
        IntentCategory.Apparel => Intent.Apparel,
        IntentCategory.OtherCommodity => Intent.OtherCommodity,
        _ => Intent.NonCommodity,
    };
}
