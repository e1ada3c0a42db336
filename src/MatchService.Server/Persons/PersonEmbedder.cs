using System.Diagnostics;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Matching.Persons;
using MatchService.Matching.Vectors;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Persons;

/// <summary>
/// Seed 001 for the persons of one decoded image: boxes (client, detector, or the whole image), then per person — all
/// persons at once, so their model calls join the same batches — f_g on the person crop, the head-shoulder box
/// (locator or prior) and f_h on its crop, the weights (weight-adaptive model on f_g, or the seed's table on the
/// measured luminance and dark-clothing share), and the representation.
/// </summary>
internal sealed class PersonEmbedder(PersonModels models, PersonOptions options)
{
    private readonly BodyRegions _regions = new(options.Regions);
    private readonly PersonWeightRule _rule = new(options.Weights);

    /// <summary>The models in use.</summary>
    public PersonModels Models { get; } = models;

    /// <summary>Embeds the persons of <paramref name="image"/>; <paramref name="clientBoxes"/> empty = detector or whole image.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT for a box outside the image.</exception>
    public async Task<IReadOnlyList<EmbeddedPerson>> EmbedAsync(RgbImage image, string imageId, IReadOnlyList<PersonBox> clientBoxes,
        StageClock clock, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(clientBoxes);
        ArgumentNullException.ThrowIfNull(clock);
        var boxes = await FindPersonsAsync(image, imageId, clientBoxes, clock, timeout, cancellationToken).ConfigureAwait(false);
        var persons = boxes.Select((b, i) => EmbedPersonAsync(image, i, b, clock, timeout, cancellationToken)).ToArray();
        return await Task.WhenAll(persons).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<FoundPerson>> FindPersonsAsync(RgbImage image, string imageId,
        IReadOnlyList<PersonBox> clientBoxes, StageClock clock, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (clientBoxes.Count > 0)
        {
            return clientBoxes.Select((b, i) => new FoundPerson(Checked(b, image, $"image '{imageId}': person_boxes[{i}]"), PersonBoxSource.Client, 0f, null)).ToArray();
        }

        if (Models.Detector is not { } detector)
        {
            return [new FoundPerson(new PersonBox(0, 0, image.Width, image.Height), PersonBoxSource.WholeImage, 0f, null)];
        }

        var persons = await clock.TimeAsync("detect", () => PersonDetection.DetectAsync(detector, image, options.DetectorMinScore, timeout, cancellationToken)).ConfigureAwait(false);
        return [.. persons.Take(options.MaxPersonsPerImage).Select(p => new FoundPerson(p.Box, PersonBoxSource.Detector, p.Score, p.Keypoints))];
    }

    /// <summary>A person box to embed, with the detector's keypoints when it gives them.</summary>
    private sealed record FoundPerson(PersonBox Box, PersonBoxSource Source, float Score, PoseKeypoints? Keypoints)
    {
        /// <summary>Shoulders to hips, or null (then the prior band).</summary>
        public PersonBox? Torso(float minScore) => Keypoints?.Torso(minScore);
    }

    private async Task<EmbeddedPerson> EmbedPersonAsync(RgbImage image, int index, FoundPerson person,
        StageClock clock, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var globalTask = clock.TimeAsync("global", () => EmbedRegionAsync(Models.Global, image, person.Box, timeout, cancellationToken));
        // The detector's keypoints give the head-shoulder box directly; otherwise the locator model, then the prior.
        var (hsBox, located) = person.Keypoints?.HeadShoulder(options.KeypointMinScore) is { } fromKeypoints
            && fromKeypoints.ClampTo(image.Width, image.Height) is { Width: >= 1, Height: >= 1 } inside
            ? (inside, true)
            : await HeadShoulderBoxAsync(image, person.Box, clock, timeout, cancellationToken).ConfigureAwait(false);
        var torso = person.Torso(options.KeypointMinScore);
        var hsTask = clock.TimeAsync("head_shoulder", () => EmbedRegionAsync(Models.HeadShoulder, image, hsBox, timeout, cancellationToken));

        PersonWeights weights;
        float[] global;
        if (Models.WeightModel is { } weightModel)
        {
            global = await globalTask.ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            var output = await weightModel.InferAsync(new DenseInput(global), timeout, cancellationToken).ConfigureAwait(false);
            clock.Add("weights", start);
            var name = (weightModel.Config.OutputFor(OutputMeaning.Weights) ?? weightModel.Config.Outputs[0]).Name;
            weights = PersonWeightRule.FromModel(output[name].Data[0], weightModel.Config.Name);
        }
        else
        {
            var start = Stopwatch.GetTimestamp();
            weights = _rule.Decide(Measure(image, person.Box, torso));
            clock.Add("weights", start);
            global = await globalTask.ConfigureAwait(false);
        }

        var headShoulder = await hsTask.ConfigureAwait(false);
        var representation = PersonRepresentation.Build(global, headShoulder, weights);
        return new EmbeddedPerson(index, person.Box, person.Source, person.Score, global, hsBox, located, headShoulder, weights, representation,
            torso ?? _regions.Torso(person.Box).ClampTo(image.Width, image.Height), torso is not null);
    }

    private async Task<(PersonBox Box, bool Located)> HeadShoulderBoxAsync(RgbImage image, PersonBox person, StageClock clock,
        TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (Models.Locator is { } locator)
        {
            // The locator looks at the top square of the person box (side = its width): head and shoulders at their
            // natural shape, and no neighbour below or beside it.
            var clamped = person.ClampTo(image.Width, image.Height);
            var window = PixelBox.Enclosing(clamped.X, clamped.Y, Math.Max(clamped.Width, 1), Math.Max(clamped.Width, 1));
            var region = new PersonBox(window.X, window.Y, window.Width, window.Height);
            var result = await clock.TimeAsync("locate", () => locator.InferRegionAsync(new RegionInput(image, window, BorderMode.Replicate, locator.Config.ToTensorSpec()), timeout, cancellationToken))
                .ConfigureAwait(false);
            var found = DetectorBoxes.Read(locator.Config, result, region, options.LocatorMinScore)
                .Select(d => d with { Box = d.Box.ClampTo(image.Width, image.Height) })
                .Where(d => d.Box.Width >= 1 && d.Box.Height >= 1)
                .ToList();
            if (found.Count > 0)
            {
                return (found[0].Box, true);
            }
        }

        return (_regions.HeadShoulder(person).ClampTo(image.Width, image.Height), false);
    }

    private static async Task<float[]> EmbedRegionAsync(ModelRunner model, RgbImage image, PersonBox box, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var input = new RegionInput(image, ToPixels(box, image), BorderMode.Replicate, model.Config.ToTensorSpec());
        var result = await model.InferRegionAsync(input, timeout, cancellationToken).ConfigureAwait(false);
        return VectorMetric.Normalized(result[PersonModels.EmbeddingOutput(model)].Data, $"{model.Config.Name}.embedding");
    }

    private AppearanceMeasurement Measure(RgbImage image, PersonBox box, PersonBox? torso) =>
        CropAppearance.Measure(new RgbPixels(image.Pixels, image.Width, image.Height, image.Stride), box, _regions, options.DarkPixels, torso);

    private static PixelBox ToPixels(PersonBox box, RgbImage image)
    {
        var clamped = box.ClampTo(image.Width, image.Height);
        return PixelBox.Enclosing(clamped.X, clamped.Y, Math.Max(clamped.Width, 1), Math.Max(clamped.Height, 1)).ClipTo(image.Width, image.Height);
    }

    private static PersonBox Checked(PersonBox box, RgbImage image, string field)
    {
        if (!float.IsFinite(box.X) || !float.IsFinite(box.Y) || !(box.Width > 0) || !(box.Height > 0) || !float.IsFinite(box.Width) || !float.IsFinite(box.Height))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} is ({box.X}, {box.Y}, {box.Width}×{box.Height}); a box needs finite coordinates and positive width and height"));
        }

        var inside = box.ClampTo(image.Width, image.Height);
        if (inside.Width < 1 || inside.Height < 1)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} ({box.X}, {box.Y}, {box.Width}×{box.Height}) lies outside the {image.Width}×{image.Height} image"));
        }

        return box;
    }
}
