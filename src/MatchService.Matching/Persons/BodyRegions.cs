namespace MatchService.Matching.Persons;

/// <summary>
/// Geometric priors on a pedestrian box, used where no head-shoulder locator model is configured (seed 001 uses a
/// ResNet18 locator and gives no numbers; these come from body proportions). A standing adult is about 7.5 heads
/// tall: the head takes the top ~13% of the body, the shoulder line sits at ~18–20% and the chest at ~30%; detector
/// boxes add a few percent of margin above the head. Shoulders span about ¼ of the height, which in a typical
/// 0.4–0.5 aspect box is 50–65% of its width, plus arms.
/// </summary>
public sealed record BodyRegionOptions
{
    /// <summary>Head-shoulder box: from the top of the person box down to this fraction of its height (0.38: head, shoulders and upper chest).</summary>
    public float HeadShoulderBottom { get; init; } = 0.38f;

    /// <summary>Head-shoulder box: centred fraction of the width (0.8: both shoulders, less the background at the sides).</summary>
    public float HeadShoulderWidth { get; init; } = 0.8f;

    /// <summary>Torso region (where clothing colour is measured): top, as a fraction of the height (0.22: below the shoulder line, no face or hair).</summary>
    public float TorsoTop { get; init; } = 0.22f;

    /// <summary>Torso region: bottom (0.55: the waist, above the hands).</summary>
    public float TorsoBottom { get; init; } = 0.55f;

    /// <summary>Torso region: centred fraction of the width (0.5: the chest without arms or background).</summary>
    public float TorsoWidth { get; init; } = 0.5f;
}

/// <summary>The head-shoulder box and the torso region derived from a person box.</summary>
public sealed class BodyRegions
{
    /// <summary>Creates the prior.</summary>
    public BodyRegions(BodyRegionOptions? options = null)
    {
        Options = options ?? new BodyRegionOptions();
        if (!(Options.HeadShoulderBottom is > 0 and <= 1) || !(Options.HeadShoulderWidth is > 0 and <= 1) ||
            !(Options.TorsoTop >= 0 && Options.TorsoBottom > Options.TorsoTop && Options.TorsoBottom <= 1) || !(Options.TorsoWidth is > 0 and <= 1))
        {
            throw new MatchingArgumentException("body_regions", "fractions must lie in (0, 1] with torso top below torso bottom");
        }
    }

    /// <summary>The fractions in use.</summary>
    public BodyRegionOptions Options { get; }

    /// <summary>The head-shoulder prior: top <see cref="BodyRegionOptions.HeadShoulderBottom"/> of the height, centred width fraction.</summary>
    public PersonBox HeadShoulder(PersonBox person) => person.Band(0, Options.HeadShoulderBottom, Options.HeadShoulderWidth);

    /// <summary>The torso region.</summary>
    public PersonBox Torso(PersonBox person) => person.Band(Options.TorsoTop, Options.TorsoBottom, Options.TorsoWidth);
}
