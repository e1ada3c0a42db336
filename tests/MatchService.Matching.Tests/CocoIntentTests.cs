using MatchService.Matching.Ranking;

namespace MatchService.Matching.Tests;

public sealed class CocoIntentTests
{
    private static readonly CocoIntentOptions Options = new();

    private static (IntentCategory Category, string Reason) Decide(params SceneObject[] found)
    {
        var evidence = CocoIntent.Evidence(found, Options);
        var (scores, reason) = CocoIntent.Decide(evidence, Options);
        return (new IntentRule().Decide(null, scores, "coco").Category, reason);
    }

    [Fact]
    public void TheTableSortsPersonsAccessoriesAnimalsFixturesAndGoods()
    {
        Assert.Equal(("person", CocoRole.Person), (CocoIntent.Label(0), CocoIntent.RoleOf(0)));
        Assert.Equal(("handbag", CocoRole.Accessory), (CocoIntent.Label(26), CocoIntent.RoleOf(26)));
        Assert.Equal(("cat", CocoRole.NonCommodity), (CocoIntent.Label(15), CocoIntent.RoleOf(15)));
        Assert.Equal(("bench", CocoRole.NonCommodity), (CocoIntent.Label(13), CocoIntent.RoleOf(13)));
        Assert.Equal(("cup", CocoRole.Commodity), (CocoIntent.Label(41), CocoIntent.RoleOf(41)));
        Assert.Equal(("car", CocoRole.Commodity), (CocoIntent.Label(2), CocoIntent.RoleOf(2)));
        Assert.Equal(80, CocoIntent.ClassCount);
    }

    [Fact]
    public void ACatAloneIsNotACommodityAndACupIs()
    {
        var cat = Decide(new SceneObject(15, 0.8f, 0.4f));
        Assert.Equal(IntentCategory.NonCommodity, cat.Category);
        Assert.Contains("cat 0.80", cat.Reason, StringComparison.Ordinal);
        Assert.Equal(IntentCategory.OtherCommodity, Decide(new SceneObject(41, 0.6f, 0.1f), new SceneObject(15, 0.5f, 0.3f)).Category);
    }

    [Fact]
    public void ADominantPersonOrAnAccessoryNextToAPersonIsApparelAndASmallPersonIsScenery()
    {
        Assert.Equal(IntentCategory.Apparel, Decide(new SceneObject(0, 0.7f, 0.3f)).Category);
        Assert.Equal(IntentCategory.NonCommodity, Decide(new SceneObject(0, 0.7f, 0.05f)).Category);
        Assert.Equal(IntentCategory.Apparel, Decide(new SceneObject(0, 0.4f, 0.05f), new SceneObject(26, 0.6f, 0.03f)).Category);
        Assert.Equal(IntentCategory.OtherCommodity, Decide(new SceneObject(26, 0.6f, 0.2f)).Category);
    }

    [Fact]
    public void WeakOrTinyObjectsAreNoEvidence()
    {
        var evidence = CocoIntent.Evidence([new SceneObject(41, 0.2f, 0.2f), new SceneObject(41, 0.9f, 0.001f), new SceneObject(39, 0.5f, 0.05f)], Options);
        Assert.Equal("bottle", Assert.Single(evidence).Label);
    }
}
