using System.Drawing;
using MatchService.ModelForge.Tests.Support;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>The classical descriptor models: deterministic, unit length, batch-invariant, and stable under real changes.</summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class DescriptorModelTests(ForgedModels models, ITestOutputHelper output)
{
    public static TheoryData<string> Names => ["alternatives/person_global", "person_head_shoulder", "alternatives/product_embedder"];

    [Theory]
    [MemberData(nameof(Names))]
    public void SameImageGivesTheSameUnitVectorAndABatchEqualsSingles(string name)
    {
        var net = models.Model(name);
        var crops = PersonRegions(1).Select(r => Input(net, RgbImage.DecodeJpeg(RepoPaths.Sample(1)), r)).ToList();
        var dim = net.Config.Outputs[0].Dim!.Value;
        var (batch, shape) = net.RunImages(crops)["embedding"];
        Assert.Equal([crops.Count, (long)dim], shape);
        for (var i = 0; i < crops.Count; i++)
        {
            var single = net.RunImages([crops[i]])["embedding"].Values;
            var again = net.RunImages([crops[i]])["embedding"].Values;
            Assert.Equal(single, again);
            Assert.InRange(Vectors.Norm(single), 0.9999, 1.0001);
            for (var k = 0; k < dim; k++)
            {
                Assert.True(Math.Abs(single[k] - batch[(i * dim) + k]) < 1e-5, $"{name}: item {i} value {k} differs between batch and single");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ShiftedAndReencodedCropIsCloserThanADifferentPerson(string name)
    {
        var net = models.Model(name);
        var checkedPairs = 0;
        for (var n = 1; n <= 6; n++)
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(n));
            var changed = image.ReencodeJpeg(70);
            var regions = PersonRegions(n);
            var originals = Embed(net, regions.Select(r => Input(net, image, r)).ToList());
            var shifted = Embed(net, regions.Select(r => Input(net, changed,
                r with { X = r.X + (r.Width / 20), Y = r.Y + (r.Height / 30) })).ToList());
            for (var i = 0; i < regions.Count; i++)
            {
                var self = Vectors.Euclidean(originals[i], shifted[i]);
                var nearestOther = Enumerable.Range(0, regions.Count).Where(j => j != i).Min(j => Vectors.Euclidean(originals[i], originals[j]));
                output.WriteLine($"{name} sample{n} person {i}: shifted+re-encoded {self:F4}, nearest other person {nearestOther:F4}");
                Assert.True(self < nearestOther, $"{name} sample{n} person {i}: changed crop {self:F4} vs other person {nearestOther:F4}");
                checkedPairs++;
            }
        }
        Assert.Equal(22, checkedPairs);
    }

    /// <summary>A person-sized region under each reference face (face box widened and extended down), inside the image.</summary>
    internal static List<Rectangle> PersonRegions(int sample)
    {
        var golden = ReferenceGolden.Load().Samples[sample - 1];
        return golden.Faces.Select(f =>
        {
            var b = f.Box;
            var x = (int)Math.Max(0, b.X - (b.Width * 0.4));
            var y = (int)Math.Max(0, b.Y);
            var w = (int)Math.Min(golden.Width - 1 - x, b.Width * 1.8);
            var h = (int)Math.Min(golden.Height - 1 - y, b.Height * 3.5);
            return new Rectangle(x, y, (int)(w * 0.95), (int)(h * 0.95));
        }).ToList();
    }

    private static float[] Input(OnnxModel net, RgbImage image, Rectangle region)
    {
        var crop = TfImageOps.Rescale(image.Crop(Rectangle.Intersect(region, new Rectangle(0, 0, image.Width, image.Height))),
            net.Config.Input.Width, net.Config.Input.Height);
        return TfImageOps.Normalise(crop.ToFloats(), net.Config.Input.Mean!, net.Config.Input.Std!);
    }

    private static List<float[]> Embed(OnnxModel net, List<float[]> inputs)
    {
        var (values, shape) = net.RunImages(inputs)["embedding"];
        var dim = (int)shape[1];
        return inputs.Select((_, i) => values.AsSpan(i * dim, dim).ToArray()).ToList();
    }
}
