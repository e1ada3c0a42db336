using MatchService.Imaging;
using MatchService.Inference.Configuration;
using MatchService.Matching.Ranking;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Products;

/// <summary>
/// Seed 003's first step. With an intent_classifier model: its three values for the whole query, in the order
/// apparel, other commodity, non-commodity — an output with meaning <c>scores</c> is read as probabilities, one with
/// meaning <c>logits</c> goes through a softmax first — and <see cref="IntentRule"/> picks the largest (ties never
/// skip). Without one: the configured default intent (<see cref="ProductOptions.DefaultIntent"/>).
/// </summary>
public static class IntentStage
{
    /// <summary>Decides the intent of <paramref name="query"/>.</summary>
    public static async Task<IntentDecision> DecideAsync(ProductModels models, RgbImage query, IntentCategory defaultIntent,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        var rule = new IntentRule { DefaultIntent = defaultIntent };
        if (models.Intent is not { } model)
        {
            return rule.Decide(null, null, null);
        }

        var result = await model.InferRegionAsync(RegionInput.Whole(query, ModelTensorSpec.For(model.Config)), timeout, cancellationToken).ConfigureAwait(false);
        var spec = model.Config.OutputFor(OutputMeaning.Scores) ?? model.Config.OutputFor(OutputMeaning.Logits) ?? model.Config.Outputs[0];
        var values = result[spec.Name].Data;
        return rule.Decide(null, spec.Meaning == OutputMeaning.Logits ? Softmax(values) : values, model.Config.Name);
    }

    private static float[] Softmax(float[] logits)
    {
        var max = logits.Length == 0 ? 0 : logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => (float)(e / sum))];
    }
}
