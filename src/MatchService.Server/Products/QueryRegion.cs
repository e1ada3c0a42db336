using MatchService.Imaging;
using MatchService.Matching.Persons;
using MatchService.Matching.Ranking;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Products;

/// <summary>A searched region of the query.</summary>
/// <param name="Box">Its box in query pixels.</param>
/// <param name="Label">Garment label ("" for the whole image).</param>
/// <param name="Score">Detector score (1 for the whole image).</param>
public sealed record QueryRegion(PersonBox Box, string Label, float Score)
{
    /// <summary>
    /// The regions to search: apparel — the garment detector's regions (best first, at most
    /// <see cref="ProductOptions.MaxGarmentRegions"/>), or the whole image when no detector is configured or it finds
    /// nothing; other commodity — the whole image.
    /// </summary>
    public static async Task<IReadOnlyList<QueryRegion>> FindAsync(ProductModels models, RgbImage query, IntentCategory intent, ProductOptions options,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(options);
        var whole = new QueryRegion(new PersonBox(0, 0, query.Width, query.Height), "", 1f);
        if (intent != IntentCategory.Apparel || models.Garments is not { } detector)
        {
            return [whole];
        }

        var result = await detector.InferRegionAsync(RegionInput.Whole(query, ModelTensorSpec.For(detector.Config)), timeout, cancellationToken).ConfigureAwait(false);
        var found = DetectorBoxes.Read(detector.Config, result, whole.Box, options.GarmentMinScore);
        return found.Count == 0
            ? [whole]
            : [.. found.Take(options.MaxGarmentRegions).Select(d => new QueryRegion(d.Box, LabelOf(options, d.Label), d.Score))];
    }

    private static string LabelOf(ProductOptions options, int index) =>
        index < options.GarmentLabels.Count ? options.GarmentLabels[index] : $"garment_{index}";
}
