using MatchService.Matching.Persons;

namespace MatchService.Server.Persons;

/// <summary>
/// Settings of EmbedPersons (configuration section <c>Persons</c>). Memory of one stream is bounded by
/// <see cref="MaxPersonsPerStream"/>: P representations of |f_g| + |f_h| floats plus the P × P summary matrix
/// (1024 persons of the default 640-d representation — 512-d ResNet18 f_g + 128-d f_h: 2.5 MiB + 4 MiB), and at most
/// <see cref="MaxConcurrentImages"/> decoded images at a time.
/// </summary>
public sealed class PersonOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Persons";

    /// <summary>Most person boxes one image may carry (client boxes beyond it are INVALID_ARGUMENT; a detector's extra boxes, least confident first, are dropped).</summary>
    public int MaxPersonsPerImage { get; set; } = 32;

    /// <summary>Most images one stream may send.</summary>
    public int MaxImagesPerStream { get; set; } = 256;

    /// <summary>Most persons one stream may hold (the summary's memory bound).</summary>
    public int MaxPersonsPerStream { get; set; } = 1024;

    /// <summary>Images of one stream processed at the same time (their model calls share batches); reading pauses beyond it.</summary>
    public int MaxConcurrentImages { get; set; } = 8;

    /// <summary>
    /// Default bound for reported pairs, in the summary metric. 0.07 cosine, fitted on the labelled set of README
    /// ("Persons: the distance bound") with the default models (ResNet18 f_g): same person under real changes
    /// 0.000–0.046, different people from 0.093. With the descriptor f_g of models-alternatives/ use 0.2 (the seed's
    /// "similarity ≥ 80%").
    /// </summary>
    public double DistanceBound { get; set; } = 0.07;

    /// <summary>Default N of the per-person top-N.</summary>
    public int TopN { get; set; } = 5;

    /// <summary>Largest top-N a request may ask for.</summary>
    public int MaxTopN { get; set; } = 100;

    /// <summary>Metric of the summary on representations: <c>cosine</c> or <c>euclidean</c>.</summary>
    public string Metric { get; set; } = "cosine";

    /// <summary>
    /// Minimum score of a person detector's box. 0.15 for MoveNet MultiPose (the default detector): on the sample
    /// photos its people score 0.19–0.58 and its empty slots at most 0.11.
    /// </summary>
    public float DetectorMinScore { get; set; } = 0.15f;

    /// <summary>Minimum score of each of the four keypoints (shoulders, hips) for a keypoint torso; below it the prior band is used.</summary>
    public float KeypointMinScore { get; set; } = 0.3f;

    /// <summary>Minimum score of a head-shoulder locator's box; below it the geometric prior is used.</summary>
    public float LocatorMinScore { get; set; } = 0.3f;

    /// <summary>The seed 001 weight table (L_min, dark-clothing bound, the two w_g values).</summary>
    public PersonWeightOptions Weights { get; set; } = new();

    /// <summary>Which torso pixels count as black clothing.</summary>
    public DarkPixelOptions DarkPixels { get; set; } = new();

    /// <summary>The head-shoulder and torso priors on the person box.</summary>
    public BodyRegionOptions Regions { get; set; } = new();
}
