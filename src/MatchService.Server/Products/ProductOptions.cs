using MatchService.Matching.Ranking;

namespace MatchService.Server.Products;

/// <summary>Settings of RankCandidates (configuration section <c>Products</c>).</summary>
public sealed class ProductOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Products";

    /// <summary>Most candidates one call may carry (inline or over the stream).</summary>
    public int MaxCandidates { get; set; } = 10_000;

    /// <summary>Candidate images decoded and embedded at the same time per call (their model calls share batches).</summary>
    public int MaxConcurrentCandidateImages { get; set; } = 32;

    /// <summary>
    /// Default minimum rank value r = 2 − distance. 1.45 for the default ResNet18 product embedder, fitted on README's
    /// labelled set (other views of the query's object r 1.59–1.92, unrelated cuts at most 1.32); the seed's 1.08 suits
    /// the colour descriptor of models-alternatives/.
    /// </summary>
    public double MinRankValue { get; set; } = 1.45;

    /// <summary>Default E_max of the category information-content filter (natural log units).</summary>
    public double MaxCategoryInformation { get; set; } = 2.0;

    /// <summary>Minimum score of a garment detector's region.</summary>
    public float GarmentMinScore { get; set; } = 0.5f;

    /// <summary>Most garment regions searched per query (best first).</summary>
    public int MaxGarmentRegions { get; set; } = 8;

    /// <summary>
    /// Names of the garment detector's classes, in its score order (index = label); a class without a name is
    /// reported as <c>garment_&lt;index&gt;</c>.
    /// </summary>
    public List<string> GarmentLabels { get; set; } = [];

    /// <summary>Intent when no intent classifier is configured: other commodity (search the whole image; a wasted search costs compute, a wrong skip costs the answer).</summary>
    public IntentCategory DefaultIntent { get; set; } = IntentCategory.OtherCommodity;

    /// <summary>Thresholds of the COCO intent table (an intent_classifier that is a COCO detector): MinScore, MinAreaShare, DominantPersonShare.</summary>
    public CocoIntentOptions Coco { get; set; } = new();

    /// <summary>Minimum score of a person detector's person for apparel regions (0.15: MoveNet's people score 0.19–0.58 on the sample photos).</summary>
    public float PersonMinScore { get; set; } = 0.15f;

    /// <summary>Minimum score of the person detector's shoulder/hip/ankle keypoints for apparel regions (no garment_detector configured).</summary>
    public float KeypointMinScore { get; set; } = 0.3f;
}
