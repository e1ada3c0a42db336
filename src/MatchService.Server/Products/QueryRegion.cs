using MatchService.Imaging;
using MatchService.Inference.Engine;
using MatchService.Matching.Persons;
using MatchService.Matching.Ranking;
using MatchService.Server.Models;
using MatchService.Server.Persons;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Products;

/// <summary>A searched region of the query.</summary>
/// <param name="Box">Its box in query pixels.</param>
/// <param name="Label">Garment label ("" for the whole image).</param>
/// <param name="Score">Detector score (1 for the whole image).</param>
internal sealed record QueryRegion(PersonBox Box, string Label, float Score)
{
    /// <summary>
    /// The regions to search and the model that found them (null: the whole image). Apparel — the garment detector's
    /// regions when one is configured; otherwise the person detector's <c>upper_body</c> (shoulders to hips) and
    /// <c>lower_body</c> (hips to ankles) regions from its keypoints plus the accessories the intent detector found
    /// (handbag, tie, backpack, suitcase, umbrella); best first, at most <see cref="ProductOptions.MaxGarmentRegions"/>;
    /// the whole image when nothing is found. Other commodity — the whole image.
    /// </summary>
    public static async Task<(IReadOnlyList<QueryRegion> Regions, ModelRunner? Model)> FindAsync(ProductModels models, RgbImage query, IntentCategory intent,
        IReadOnlyList<IntentFinding> evidence, ProductOptions options, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<QueryRegion> whole = [new QueryRegion(new PersonBox(0, 0, query.Width, query.Height), "", 1f)];
        if (intent != IntentCategory.Apparel)
        {
            return (whole, null);
        }

        if (models.Garments is { } detector)
        {
            var result = await detector.InferRegionAsync(RegionInput.Whole(query, detector.Config.ToTensorSpec()), timeout, cancellationToken).ConfigureAwait(false);
            var found = DetectorBoxes.Read(detector.Config, result, whole[0].Box, options.GarmentMinScore);
            return (found.Count == 0 ? whole : [.. found.Take(options.MaxGarmentRegions).Select(d => new QueryRegion(d.Box, LabelOf(options, d.Label), d.Score))], detector);
        }

        if (models.Persons is not { } persons)
        {
            return (whole, null);
        }

        var people = await PersonDetection.DetectAsync(persons, query, options.PersonMinScore, timeout, cancellationToken).ConfigureAwait(false);
        var regions = new List<QueryRegion>();
        foreach (var person in people.Where(p => p.Keypoints is not null))
        {
            if (person.Keypoints!.UpperBody(options.KeypointMinScore) is { } upper)
            {
                regions.Add(new QueryRegion(upper.ClampTo(query.Width, query.Height), "upper_body", person.Score));
            }

            if (person.Keypoints.LowerBody(options.KeypointMinScore) is { } lower)
            {
                regions.Add(new QueryRegion(lower.ClampTo(query.Width, query.Height), "lower_body", person.Score));
            }
        }

        regions.AddRange(evidence.Where(e => e.Found.Role == CocoRole.Accessory).Select(e => new QueryRegion(e.Box, e.Found.Label, e.Found.Score)));
        var kept = regions.Where(r => r.Box.Width >= 1 && r.Box.Height >= 1).OrderByDescending(r => r.Score).Take(options.MaxGarmentRegions).ToList();
        return kept.Count == 0 ? (whole, null) : (kept, persons);
    }

    private static string LabelOf(ProductOptions options, int index) =>
        index < options.GarmentLabels.Count ? options.GarmentLabels[index] : $"garment_{index}";
}
