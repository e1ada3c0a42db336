using MatchService.Imaging;
using MatchService.Inference.Configuration;
using MatchService.Matching.Persons;
using MatchService.Matching.Ranking;
using MatchService.Server.Models;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Products;

/// <summary>A COCO object found in the query, with its box in query pixels (intent evidence; accessories become garment regions).</summary>
/// <param name="Found">Class, score and area share.</param>
/// <param name="Box">Its box in query pixels.</param>
internal sealed record IntentFinding(SceneObject Found, PersonBox Box);

/// <summary>The intent and what it rests on.</summary>
/// <param name="Decision">The intent, its source, score and reason.</param>
/// <param name="Evidence">The objects an intent detector found (empty for a classifier or the rule).</param>
internal sealed record IntentOutcome(IntentDecision Decision, IReadOnlyList<IntentFinding> Evidence);

/// <summary>
/// Seed 003's first step, with one of two kinds of intent_classifier model, or none:
/// <list type="bullet">
/// <item>a COCO detector (an output with meaning <c>boxes</c>, [K, 4] x1, y1, x2, y2 in 0..1, and <c>scores</c> [K, 80]
/// per COCO class): its objects go through <see cref="CocoIntent"/>'s class table, and the objects are the evidence;</item>
/// <item>a classifier: three values for the whole query in the order apparel, other commodity, non-commodity — an
/// output with meaning <c>scores</c> is read as probabilities, one with meaning <c>logits</c> goes through a softmax first.</item>
/// </list>
/// <see cref="IntentRule"/> picks the largest (ties never skip). Without a model: <see cref="ProductOptions.DefaultIntent"/>.
/// </summary>
internal static class IntentStage
{
    /// <summary>Decides the intent of <paramref name="query"/>.</summary>
    public static async Task<IntentOutcome> DecideAsync(ProductModels models, RgbImage query, ProductOptions options,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        var rule = new IntentRule { DefaultIntent = options.DefaultIntent };
        if (models.Intent is not { } model)
        {
            return new IntentOutcome(rule.Decide(null, null, null), []);
        }

        var result = await model.InferRegionAsync(RegionInput.Whole(query, model.Config.ToTensorSpec()), timeout, cancellationToken).ConfigureAwait(false);
        if (model.Config.OutputFor(OutputMeaning.Boxes) is not null)
        {
            var whole = new PersonBox(0, 0, query.Width, query.Height);
            var area = (float)query.Width * query.Height;
            var found = DetectorBoxes.Read(model.Config, result, whole, 0f)
                .Select(d => new IntentFinding(new SceneObject(d.Label, d.Score, d.Box.Width * d.Box.Height / area), d.Box));
            var settings = options.Coco;
            var evidence = CocoIntent.Evidence(found.Select(f => f.Found), settings);
            var findings = found.Where(f => evidence.Contains(f.Found)).OrderByDescending(f => f.Found.Score).ToList();
            var (scores, reason) = CocoIntent.Decide(evidence, settings);
            var decision = evidence.Count == 0
                ? new IntentDecision(options.DefaultIntent, IntentSource.Model, null, $"model '{model.Config.Name}': {reason}")
                : rule.Decide(null, scores, model.Config.Name) with { Reason = $"model '{model.Config.Name}': {reason}" };
            return new IntentOutcome(decision, findings);
        }

        var spec = model.Config.OutputFor(OutputMeaning.Scores) ?? model.Config.OutputFor(OutputMeaning.Logits) ?? model.Config.Outputs[0];
        var values = result[spec.Name].Data;
        return new IntentOutcome(rule.Decide(null, spec.Meaning == OutputMeaning.Logits ? Softmax(values) : values, model.Config.Name), []);
    }

    private static float[] Softmax(float[] logits)
    {
        var max = logits.Length == 0 ? 0 : logits.Max();
        var exp = logits.Select(v => Math.Exp(v - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => (float)(e / sum))];
    }
}
