using MatchService.Matching.Persons;

namespace MatchService.Matching.Tests;

public class PersonWeightTests
{
    private readonly PersonWeightRule _rule = new();

    [Theory]
    [InlineData(0.50, 0.10, 0.5, WeightTrigger.None)]
    [InlineData(0.20, 0.10, 0.3, WeightTrigger.DarkCrop)]
    [InlineData(0.50, 0.70, 0.3, WeightTrigger.BlackClothing)]
    [InlineData(0.10, 0.90, 0.3, WeightTrigger.DarkCropAndBlackClothing)]
    [InlineData(0.25, 0.60, 0.5, WeightTrigger.None)] // both exactly at their bounds: neither "below" nor "above"
    public void SeedTableGivesTheGlobalWeightAndItsComplement(double luminance, double darkShare, double expectedGlobal, WeightTrigger trigger)
    {
        var weights = _rule.Decide(new AppearanceMeasurement(luminance, darkShare, 100, 40));
        Assert.Equal(expectedGlobal, weights.Global, 1e-12);
        Assert.Equal(1 - expectedGlobal, weights.HeadShoulder, 1e-12);
        Assert.Equal(WeightSourceKind.Rule, weights.Source.Kind);
        Assert.Equal(trigger, weights.Source.Trigger);
        Assert.Equal(luminance, weights.Source.Measurement!.MeanLuminance);
        Assert.Equal(darkShare, weights.Source.Measurement.DarkShare);
        Assert.Same(_rule.Options, weights.Source.Options);
    }

    [Fact]
    public void ModelWeightsAreReportedAsSuch()
    {
        var w = PersonWeightRule.FromModel(0.42, "weight-adaptive");
        Assert.Equal(0.58, w.HeadShoulder, 1e-12);
        Assert.Equal(WeightSourceKind.Model, w.Source.Kind);
        Assert.Equal("weight-adaptive", w.Source.ModelName);
        Assert.Equal("weight_model.output", Assert.Throws<MatchingArgumentException>(() => PersonWeightRule.FromModel(1.2, "m")).Field);
    }

    /// <summary>An image filled with <paramref name="background"/> with the torso region of <paramref name="person"/> painted <paramref name="torso"/>.</summary>
    private static byte[] Paint(int width, int height, PersonBox person, (byte R, byte G, byte B) background, (byte R, byte G, byte B) torso)
    {
        var data = new byte[width * height * 3];
        var t = new BodyRegions().Torso(person);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var inTorso = x + 0.5 >= t.X && x + 0.5 < t.Right && y + 0.5 >= t.Y && y + 0.5 < t.Bottom;
                var c = inTorso ? torso : background;
                var o = ((y * width) + x) * 3;
                (data[o], data[o + 1], data[o + 2]) = c;
            }
        }

        return data;
    }

    [Fact]
    public void MeasuresLuminanceAndBlackTorsoFromPixels()
    {
        var person = new PersonBox(10, 0, 40, 100);
        var regions = new BodyRegions();

        // Bright scene, black shirt: the torso is dark and unsaturated, the crop as a whole is not dark.
        var black = Paint(60, 100, person, (200, 200, 200), (15, 15, 20));
        var m = CropAppearance.Measure(new RgbPixels(black, 60, 100, 180), person, regions);
        Assert.Equal(1.0, m.DarkShare, 1e-9);
        Assert.True(m.MeanLuminance > 0.25);
        Assert.Equal(WeightTrigger.BlackClothing, _rule.Decide(m).Source.Trigger);
        Assert.Equal(40 * 100, m.PersonPixels);

        // A dark but saturated red shirt is not black clothing.
        var red = Paint(60, 100, person, (200, 200, 200), (90, 5, 5));
        Assert.Equal(0, CropAppearance.Measure(new RgbPixels(red, 60, 100, 180), person, regions).DarkShare);

        // A dim scene: everything at luma 0.1 (grey 25) is a dark crop.
        var dim = Paint(60, 100, person, (25, 25, 25), (60, 40, 140));
        var dm = CropAppearance.Measure(new RgbPixels(dim, 60, 100, 180), person, regions);
        Assert.Equal(CropAppearance.Luma(25, 25, 25), dm.MeanLuminance, 0.05);
        Assert.Equal(0.3, _rule.Decide(dm).Global);
    }

    [Fact]
    public void BadPixelsAndBoxesNameTheField()
    {
        Assert.Equal("pixels", Assert.Throws<MatchingArgumentException>(() => new RgbPixels(new byte[10], 4, 4, 12)).Field);
        var data = new byte[4 * 4 * 3];
        Assert.Equal("person.box", Assert.Throws<MatchingArgumentException>(() => CropAppearance.Measure(new RgbPixels(data, 4, 4, 12), new PersonBox(10, 10, 5, 5), new BodyRegions())).Field);
        Assert.Equal("person.box", Assert.Throws<MatchingArgumentException>(() => CropAppearance.Measure(new RgbPixels(data, 4, 4, 12), new PersonBox(0, 0, 0, 5), new BodyRegions())).Field);
    }
}
