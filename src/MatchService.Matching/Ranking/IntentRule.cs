namespace MatchService.Matching.Ranking;

/// <summary>
/// Decides the intent from what is at hand, in this order: the client's statement; an intent classifier's
/// probabilities (order: apparel, other commodity, non-commodity; the largest wins, ties going to the earlier
/// category so that a tie never skips a search); otherwise the fallback <see cref="DefaultIntent"/>.
/// </summary>
public sealed class IntentRule
{
    /// <summary>
    /// Intent without a statement or model: other commodity, i.e. search the whole image. Skipping needs evidence;
    /// a wasted search costs compute, a wrongly skipped one costs the user the answer.
    /// </summary>
    public IntentCategory DefaultIntent { get; init; } = IntentCategory.OtherCommodity;

    /// <summary>Decides; <paramref name="probabilities"/> must hold three finite values in [0, 1] when given.</summary>
    public IntentDecision Decide(IntentCategory? clientIntent, IReadOnlyList<float>? probabilities, string? modelName)
    {
        if (clientIntent is { } stated)
        {
            if (!Enum.IsDefined(stated))
            {
                throw new MatchingArgumentException("intent", $"is {(int)stated}; expected apparel, other commodity or non-commodity");
            }

            return new IntentDecision(stated, IntentSource.Client, null, "stated by the request");
        }

        if (probabilities is not null)
        {
            if (probabilities.Count != 3)
            {
                throw new MatchingArgumentException("intent_model.output", $"has {probabilities.Count} values; expected 3 (apparel, other commodity, non-commodity)");
            }

            var best = 0;
            for (var i = 0; i < 3; i++)
            {
                if (!float.IsFinite(probabilities[i]) || probabilities[i] is < 0 or > 1)
                {
                    throw new MatchingArgumentException($"intent_model.output[{i}]", $"is {probabilities[i]}; expected a probability in [0, 1]");
                }

                best = probabilities[i] > probabilities[best] ? i : best;
            }

            return new IntentDecision((IntentCategory)best, IntentSource.Model, probabilities[best], $"classified by model '{modelName}'");
        }

        return new IntentDecision(DefaultIntent, IntentSource.Rule, null, "no intent stated and no intent model configured: searching the whole image");
    }
}
