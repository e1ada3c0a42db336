namespace MatchService.Matching.Persons;

/// <summary>Which condition of the rule fired.</summary>
public enum WeightTrigger
{
    /// <summary>Neither: the crop is bright enough and the clothing is not black.</summary>
    None,

    /// <summary>Mean luminance below L_min.</summary>
    DarkCrop,

    /// <summary>Dark-clothing share above its bound.</summary>
    BlackClothing,

    /// <summary>Both.</summary>
    DarkCropAndBlackClothing,
}

/// <summary>Where the weights came from.</summary>
public enum WeightSourceKind
{
    /// <summary>The seed's table, applied to measured luminance and dark share.</summary>
    Rule,

    /// <summary>A weight-adaptive model's output w_g.</summary>
    Model,
}

/// <summary>The source of a person's weights and the measurements behind them.</summary>
/// <param name="Kind">Rule or model.</param>
/// <param name="Trigger">For the rule: which condition fired.</param>
/// <param name="Measurement">For the rule: luminance and dark share as measured.</param>
/// <param name="Options">For the rule: the thresholds and weights used.</param>
/// <param name="ModelName">For a model: its name.</param>
public sealed record WeightSource(WeightSourceKind Kind, WeightTrigger Trigger, AppearanceMeasurement? Measurement, PersonWeightOptions? Options, string? ModelName);

/// <summary>w_g and w_h = 1 − w_g with their source.</summary>
/// <param name="Global">w_g.</param>
/// <param name="HeadShoulder">w_h.</param>
/// <param name="Source">Why.</param>
public sealed record PersonWeights(double Global, double HeadShoulder, WeightSource Source);
