namespace MatchService.Matching.Ranking;

/// <summary>Seed 003's intent categories of a query photo.</summary>
public enum IntentCategory
{
    /// <summary>Clothing: a detector finds garment regions, each searched on its own.</summary>
    Apparel,

    /// <summary>Any other product: the whole image is searched.</summary>
    OtherCommodity,

    /// <summary>Not a product: the search is skipped (the compute the seed saves).</summary>
    NonCommodity,
}

/// <summary>Who decided the intent.</summary>
public enum IntentSource
{
    /// <summary>The request stated it.</summary>
    Client,

    /// <summary>An intent classifier model.</summary>
    Model,

    /// <summary>The fallback rule (no statement, no model).</summary>
    Rule,
}

/// <summary>The intent with its source.</summary>
/// <param name="Category">The intent.</param>
/// <param name="Source">Client, model or rule.</param>
/// <param name="Probability">The model's probability of the chosen category, when a model decided.</param>
/// <param name="Reason">A sentence for the response.</param>
public sealed record IntentDecision(IntentCategory Category, IntentSource Source, double? Probability, string Reason);
