using MatchService.ModelForge.Featurizers;
using MatchService.ModelForge.Tests.Support;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>
/// The forged person/product models: the ResNet18 featurizer against the package's own two graphs run one after the
/// other, and MoveNet's detector and head-shoulder heads on the sample photos.
/// </summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class PersonModelTests(ForgedModels models, ITestOutputHelper output)
{
    [Fact]
    public void FoldedResNet18EqualsThePackagePreprocessingThenTheNetworkAndBatchesFreely()
    {
        var net = models.Model("person_global");
        var images = Enumerable.Range(1, 3).Select(n => TfImageOps.Rescale(RgbImage.DecodeJpeg(RepoPaths.Sample(n)), 224, 224)).ToList();
        // Ours: BGR input (config color BGR, mean 0, std 1), the mean image subtracted in the graph.
        var ours = net.RunImages(images.Select(i => Bgr(i.ToFloats())).ToList())["embedding"];
        Assert.Equal([3L, 512], ours.Shape);

        using var prep = new InferenceSession(Path.Combine(RepoPaths.ResNet18Package, ResNet18Featurizer.PreprocessFile));
        using var resnet = new InferenceSession(Path.Combine(RepoPaths.ResNet18Package, ResNet18Featurizer.ModelFile));
        for (var i = 0; i < images.Count; i++)
        {
            // The package: RGB NCHW [1,3,224,224] → preprocessing → network → [1,512,1,1].
            var rgb = Chw(images[i].ToFloats());
            using var input = OrtValue.CreateTensorValueFromMemory(rgb, [1, 3, 224, 224]);
            using var runOptions = new RunOptions();
            using var prepared = prep.Run(runOptions, ["OriginalInput"], [input], ["PreprocessedInput"]);
            using var pooled = resnet.Run(runOptions, ["Input247"], [prepared[0]], ["Pooling395_Output_0"]);
            var reference = pooled[0].GetTensorDataAsSpan<float>().ToArray();
            var mine = ours.Values.AsSpan(i * 512, 512);
            var worst = 0f;
            for (var k = 0; k < 512; k++)
            {
                worst = Math.Max(worst, Math.Abs(mine[k] - reference[k]) / (1e-3f + Math.Abs(reference[k])));
            }
            output.WriteLine($"sample{i + 1}: worst relative difference {worst:E2}, cosine {Vectors.Cosine(mine, reference):F7}");
            Assert.True(worst < 1e-3f, $"sample{i + 1}: relative difference {worst}");
        }
        Assert.True(Vectors.Cosine(ours.Values.AsSpan(0, 512), ours.Values.AsSpan(512, 512)) < 0.999, "different photos gave one feature");
    }

    [Fact]
    public void PersonDetectorFindsThePeopleOfEverySamplePhoto()
    {
        var net = models.Model("person_detector");
        for (var n = 1; n <= 6; n++)
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(n));
            var outputs = net.RunImages([TfImageOps.Rescale(image, 256, 256).ToFloats()]);
            var (boxes, scores) = (outputs["boxes"].Values, outputs["scores"].Values);
            Assert.Equal([1L, 6, 4], outputs["boxes"].Shape);
            Assert.Equal([1L, 6, 17, 3], outputs["keypoints"].Shape);
            var found = Enumerable.Range(0, 6).Where(k => scores[k] >= 0.3f).ToList();
            output.WriteLine($"sample{n}: {found.Count} persons ≥ 0.3: " + string.Join("; ", found.Select(k =>
                $"{scores[k]:F2} at x {boxes[4 * k]:F2}..{boxes[(4 * k) + 2]:F2}, y {boxes[(4 * k) + 1]:F2}..{boxes[(4 * k) + 3]:F2}")));
            Assert.NotEmpty(found);
            foreach (var k in found)
            {
                Assert.True(boxes[(4 * k) + 2] > boxes[4 * k] && boxes[(4 * k) + 3] > boxes[(4 * k) + 1], $"sample{n} box {k} is not x1 < x2, y1 < y2");
            }
        }
    }

    private static float[] Bgr(float[] rgbHwc)
    {
        for (var p = 0; p < rgbHwc.Length; p += 3)
        {
            (rgbHwc[p], rgbHwc[p + 2]) = (rgbHwc[p + 2], rgbHwc[p]);
        }
        return rgbHwc;
    }

    private static float[] Chw(float[] hwc)
    {
        var chw = new float[hwc.Length];
        var plane = hwc.Length / 3;
        for (var p = 0; p < plane; p++)
        {
            for (var c = 0; c < 3; c++)
            {
                chw[(c * plane) + p] = hwc[(p * 3) + c];
            }
        }
        return chw;
    }
}
