namespace MatchService.Matching.Persons;

/// <summary>The seed 001 table as configuration.</summary>
public sealed record PersonWeightOptions
{
    /// <summary>L_min: a crop whose mean luminance (0–1) is below this is dark.</summary>
    public double MinLuminance { get; init; } = 0.25;

    /// <summary>Clothing is black when the dark share of the torso is above this.</summary>
    public double MaxDarkShare { get; init; } = 0.6;

    /// <summary>w_g when a condition fires: the head-shoulder part carries more (seed: global weight below head-shoulder weight).</summary>
    public double DarkGlobalWeight { get; init; } = 0.3;

    /// <summary>w_g otherwise (seed: "two preset fixed values, for example, are 0.5").</summary>
    public double NormalGlobalWeight { get; init; } = 0.5;
}

/// <summary>
/// Seed 001's weights: when the person crop is dark (mean luminance &lt; L_min) or the clothing is black (dark share
/// &gt; bound), colour and clothing style cannot tell people apart, so the global feature weighs 0.3 and the
/// head-shoulder feature 0.7; otherwise both 0.5. A weight-adaptive model may give w_g instead.
/// </summary>
public sealed class PersonWeightRule
{
    /// <summary>Creates the rule; throws when a weight lies outside [0, 1].</summary>
    public PersonWeightRule(PersonWeightOptions? options = null)
    {
        Options = options ?? new PersonWeightOptions();
        if (!(Options.DarkGlobalWeight is >= 0 and <= 1) || !(Options.NormalGlobalWeight is >= 0 and <= 1))
        {
            throw new MatchingArgumentException("person_weights", "global weights must lie in [0, 1]");
        }
    }

    /// <summary>The thresholds and weights in use.</summary>
    public PersonWeightOptions Options { get; }

    /// <summary>Applies the table to a measurement.</summary>
    public PersonWeights Decide(AppearanceMeasurement measurement)
    {
        ArgumentNullException.ThrowIfNull(measurement);
        var darkCrop = measurement.MeanLuminance < Options.MinLuminance;
        var blackClothing = measurement.DarkShare > Options.MaxDarkShare;
        var trigger = (darkCrop, blackClothing) switch
        {
            (true, true) => WeightTrigger.DarkCropAndBlackClothing,
            (true, false) => WeightTrigger.DarkCrop,
            (false, true) => WeightTrigger.BlackClothing,
            _ => WeightTrigger.None,
        };
        var wg = trigger == WeightTrigger.None ? Options.NormalGlobalWeight : Options.DarkGlobalWeight;
        return new PersonWeights(wg, 1 - wg, new WeightSource(WeightSourceKind.Rule, trigger, measurement, Options, null));
    }

    /// <summary>Weights from a weight-adaptive model's w_g (validated to [0, 1]).</summary>
    public static PersonWeights FromModel(double globalWeight, string modelName)
    {
        if (!(globalWeight is >= 0 and <= 1))
        {
            throw new MatchingArgumentException("weight_model.output", $"is {globalWeight}; the weight-adaptive model must give w_g in [0, 1] (model '{modelName}')");
        }

        return new PersonWeights(globalWeight, 1 - globalWeight, new WeightSource(WeightSourceKind.Model, WeightTrigger.None, null, null, modelName));
    }
}
