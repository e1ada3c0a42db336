using MatchService.Matching.Ranking;

namespace MatchService.Matching.Tests;

public class IntentRuleTests
{
    private readonly IntentRule _rule = new();

    [Fact]
    public void ClientThenModelThenFallback()
    {
        var stated = _rule.Decide(IntentCategory.NonCommodity, [0.9f, 0.05f, 0.05f], "intent");
        Assert.Equal((IntentCategory.NonCommodity, IntentSource.Client), (stated.Category, stated.Source));

        var model = _rule.Decide(null, [0.1f, 0.2f, 0.7f], "intent");
        Assert.Equal((IntentCategory.NonCommodity, IntentSource.Model), (model.Category, model.Source));
        Assert.Equal(0.7f, model.Probability!.Value, 1e-6);

        var fallback = _rule.Decide(null, null, null);
        Assert.Equal((IntentCategory.OtherCommodity, IntentSource.Rule), (fallback.Category, fallback.Source));
    }

    [Fact]
    public void TiesNeverSkipTheSearch()
    {
        Assert.Equal(IntentCategory.OtherCommodity, _rule.Decide(null, [0.1f, 0.45f, 0.45f], "m").Category);
        Assert.Equal(IntentCategory.Apparel, _rule.Decide(null, [0.5f, 0f, 0.5f], "m").Category);
    }

    [Fact]
    public void BadModelOutputIsNamed()
    {
        Assert.Equal("intent_model.output", Assert.Throws<MatchingArgumentException>(() => _rule.Decide(null, [0.5f, 0.5f], "m")).Field);
        Assert.Equal("intent_model.output[2]", Assert.Throws<MatchingArgumentException>(() => _rule.Decide(null, [0.5f, 0.5f, float.NaN], "m")).Field);
        Assert.Equal("intent", Assert.Throws<MatchingArgumentException>(() => _rule.Decide((IntentCategory)7, null, null)).Field);
    }
}
