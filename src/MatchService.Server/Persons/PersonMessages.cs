using System.Globalization;
using MatchService.Contracts.V1;
using MatchService.Matching.Persons;
using ProtoPersonPair = MatchService.Contracts.V1.PersonPair;

namespace MatchService.Server.Persons;

/// <summary>Maps EmbedPersons results to the contract's messages.</summary>
internal static class PersonMessages
{
    public static Box ToProto(PersonBox b) => new() { X = b.X, Y = b.Y, Width = b.Width, Height = b.Height };

    public static PersonBox FromProto(Box b) => new(b.X, b.Y, b.Width, b.Height);

    public static Person ToProto(EmbeddedPerson p, PersonModels models) => new()
    {
        Index = p.Index,
        Box = ToProto(p.Box),
        BoxSource = p.BoxSource switch
        {
            PersonBoxSource.Client => ModelSource.Client,
            PersonBoxSource.Detector => ModelSource.Model,
            _ => ModelSource.Rule,
        },
        WholeImage = p.BoxSource == PersonBoxSource.WholeImage,
        GlobalFeature = Vector(p.Global),
        HeadShoulderBox = ToProto(p.HeadShoulderBox),
        // Located by a model: the locator's, or the person detector's keypoints when no locator is configured.
        HeadShoulderSource = p.LocatedByModel ? (models.Locator is { } locator ? ModelReferences.SourceOf(locator) : ModelSource.Model) : ModelSource.Rule,
        HeadShoulderFeature = Vector(p.HeadShoulder),
        GlobalWeight = (float)p.Weights.Global,
        HeadShoulderWeight = (float)p.Weights.HeadShoulder,
        WeightReason = Reason(p.Weights, models),
        Representation = Vector(p.Representation),
        DetectorScore = p.DetectorScore,
        TorsoBox = ToProto(p.TorsoBox),
        TorsoSource = p.TorsoFromKeypoints ? ModelSource.Model : ModelSource.Rule,
    };

    public static WeightReason Reason(PersonWeights w, PersonModels models)
    {
        var source = w.Source;
        if (source.Kind == WeightSourceKind.Model)
        {
            return new WeightReason
            {
                Source = ModelSource.Model,
                Model = ModelReferences.Of(models.WeightModel),
                Explanation = string.Create(CultureInfo.InvariantCulture, $"weight-adaptive model '{source.ModelName}' on f_g: w_g = {w.Global:0.###}"),
            };
        }

        var m = source.Measurement!;
        var o = source.Options!;
        var why = source.Trigger switch
        {
            WeightTrigger.DarkCrop => string.Create(CultureInfo.InvariantCulture, $"dark crop (mean luminance {m.MeanLuminance:0.###} < {o.MinLuminance:0.###})"),
            WeightTrigger.BlackClothing => string.Create(CultureInfo.InvariantCulture, $"dark clothing ({m.DarkShare:0.###} > {o.MaxDarkShare:0.###})"),
            WeightTrigger.DarkCropAndBlackClothing => string.Create(CultureInfo.InvariantCulture,
                $"dark crop (mean luminance {m.MeanLuminance:0.###} < {o.MinLuminance:0.###}) and dark clothing ({m.DarkShare:0.###} > {o.MaxDarkShare:0.###})"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"normal light and clothing (mean luminance {m.MeanLuminance:0.###} ≥ {o.MinLuminance:0.###}, dark clothing {m.DarkShare:0.###} ≤ {o.MaxDarkShare:0.###})"),
        };
        return new WeightReason
        {
            Source = ModelSource.Rule,
            MeanLuminance = (float)m.MeanLuminance,
            LuminanceThreshold = (float)o.MinLuminance,
            DarkClothingShare = (float)m.DarkShare,
            DarkClothingThreshold = (float)o.MaxDarkShare,
            Explanation = string.Create(CultureInfo.InvariantCulture, $"{why}: w_g = {w.Global:0.###}"),
        };
    }

    public static EmbedSummary Summary(GallerySummary summary, IReadOnlyList<int> imageIndexOf)
    {
        var ids = summary.Persons.Select((k, i) => new PersonId { ImageIndex = imageIndexOf[i], PersonIndex = k.PersonIndex, ImageId = k.ImageId }).ToArray();
        var message = new EmbedSummary
        {
            Metric = summary.Options.Metric.Kind == Matching.Vectors.MetricKind.Cosine ? Metric.Cosine : Metric.Euclidean,
            DistanceBound = (float)summary.Options.PairDistanceBound,
            TopN = summary.Options.TopN,
        };
        message.Persons.AddRange(ids);
        message.Distances.AddRange(summary.Distances);
        message.PairsWithinBound.AddRange(summary.Pairs.Select(p => Pair(ids, p.First, p.Second, p.Distance)));
        for (var i = 0; i < ids.Length; i++)
        {
            var hood = new Neighbourhood { Person = ids[i] };
            hood.Nearest.AddRange(summary.Nearest[i].Select(n => Pair(ids, i, n.Person, n.Distance)));
            message.Nearest.Add(hood);
        }

        return message;
    }

    private static ProtoPersonPair Pair(PersonId[] ids, int first, int second, double distance) =>
        new() { First = ids[first], Second = ids[second], Distance = (float)distance };

    private static Vector Vector(float[] values)
    {
        var v = new Vector();
        v.Values.AddRange(values);
        return v;
    }
}
