using System.Drawing;
using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Tests.Support;
using MatchService.ModelForge.Weights;
using MatchService.Vision;
using Onnx;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>
/// The served face_recognition is the float dlib net quantized to int8: its committed activation ranges are what the
/// float net measures on the calibration crops, ONNX Runtime runs it as int8 kernels, and its descriptors stay close to
/// the float net's on every sample face, the held-out ones included.
/// </summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class QuantizedFaceRecognitionTests(ForgedModels models, ITestOutputHelper output)
{
    /// <summary>Set to rewrite the committed ranges from a fresh measurement instead of checking them.</summary>
    private const string WriteVariable = "MATCH_WRITE_ACTIVATION_RANGES";

    private static string CommittedRanges =>
        Path.Combine(RepoPaths.Root, "src/MatchService.ModelForge/FaceApi", FaceApiModels.RecognitionRangesResource);

    [Fact]
    public void CommittedRangesAreWhatTheFloatNetMeasuresOnTheCalibrationCrops()
    {
        var net = FaceRecognitionNetWriter.Build(TfjsWeightMap.Load(RepoPaths.FaceApiWeights, FaceRecognitionNetWriter.WeightsName));
        var measured = MeasureRanges(net, [.. CalibrationCrops()]);
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            File.WriteAllText(CommittedRanges, measured.ToJson() + "\n");
            output.WriteLine($"wrote {CommittedRanges}");
            return;
        }

        var committed = ActivationRanges.Parse(File.ReadAllText(CommittedRanges), CommittedRanges);
        Assert.Equal(measured.Ranges.Keys.Order(StringComparer.Ordinal), committed.Ranges.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, range) in measured.Ranges)
        {
            var span = Math.Max(1e-3f, range[1] - range[0]);
            var stored = committed.Ranges[name];
            Assert.True(Math.Abs(stored[0] - range[0]) <= 1e-3 * span && Math.Abs(stored[1] - range[1]) <= 1e-3 * span,
                $"{name}: committed [{stored[0]}, {stored[1]}], measured [{range[0]}, {range[1]}]; rerun with {WriteVariable}=1");
        }
    }

    [Fact]
    public void OnnxRuntimeRunsEveryConvolutionAndSumAsAnInt8Kernel()
    {
        var ops = ActivationCalibration.OptimizedOpTypes(File.ReadAllBytes(Path.Combine(models.Root, "face_recognition", "model.onnx")))
            .GroupBy(op => op).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine(string.Join(", ", ops.Select(o => $"{o.Key} {o.Value}")));
        Assert.Equal(29, ops.GetValueOrDefault("QLinearConv"));
        Assert.Equal(14, ops.GetValueOrDefault("QLinearAdd"));
        Assert.DoesNotContain("Conv", ops.Keys);
        Assert.DoesNotContain("FusedConv", ops.Keys);
        Assert.DoesNotContain("Add", ops.Keys);
    }

    [Fact]
    public void Int8DescriptorsStayCloseToTheFloatOnesOnEverySampleFace()
    {
        var int8 = models.Model("face_recognition");
        var fp32 = models.Model("alternatives/face_recognition_float");
        var crops = SampleCrops(Enumerable.Range(1, 6)).ToList();
        Assert.Equal(22, crops.Count);
        var inputs = crops.Select(c => ServicePacking.CentredSquare(fp32, c.Image, c.Crop)).ToList();
        var q = int8.RunImages(inputs)["embedding"].Values;
        var f = fp32.RunImages(inputs)["embedding"].Values;
        var worstCosine = 1.0;
        var worstPairChange = 0.0;
        for (var i = 0; i < crops.Count; i++)
        {
            worstCosine = Math.Min(worstCosine, Vectors.Cosine(q.AsSpan(i * 128, 128), f.AsSpan(i * 128, 128)));
            for (var j = 0; j < i; j++)
            {
                var change = Math.Abs(Vectors.Euclidean(q.AsSpan(i * 128, 128), q.AsSpan(j * 128, 128))
                    - Vectors.Euclidean(f.AsSpan(i * 128, 128), f.AsSpan(j * 128, 128)));
                worstPairChange = Math.Max(worstPairChange, change);
            }
        }
        output.WriteLine($"int8 vs float on the 22 faces: worst cosine {worstCosine:F5}, worst change of a pair distance {worstPairChange:F4}");
        Assert.True(worstCosine >= 0.995, $"worst cosine {worstCosine}");
        Assert.True(worstPairChange <= 0.03, $"worst pair distance change {worstPairChange}");
    }

    /// <summary>Each face of samples 1-3 (the calibration photos; 4-6 stay held out) and its mirror image.</summary>
    private static IEnumerable<float[]> CalibrationCrops()
    {
        var layout = FaceApiModels.FaceRecognitionFloat(RepoPaths.FaceApiWeights).Config.ToTensorSpec();
        foreach (var (image, crop) in SampleCrops([1, 2, 3]))
        {
            yield return ServicePacking.CentredSquare(layout, image, crop);
            var mirror = image.Mirror();
            yield return ServicePacking.CentredSquare(layout, mirror, new Rectangle(image.Width - crop.Right, crop.Y, crop.Width, crop.Height));
        }
    }

    private static IEnumerable<(RgbImage Image, Rectangle Crop)> SampleCrops(IEnumerable<int> samples)
    {
        var golden = ReferenceGolden.Load();
        foreach (var sample in golden.Samples.Where(s => samples.Contains(s.Number)))
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(sample.Number));
            foreach (var face in sample.Faces)
            {
                yield return (image, FaceCrop.ClipAtImageBorders(face.AlignedCrop.ToRectangle(), image.Width, image.Height));
            }
        }
    }

    private static ActivationRanges MeasureRanges(ModelProto net, List<float[]> crops) =>
        new(
            "dlib's face descriptor in float (FaceRecognitionNetWriter, face-api 1.7.15's weights)",
            $"min and max over {crops.Count} crops: each face of face-api's demo photos sample1-3 (face-api's own aligned crops, packed " +
            "as the service packs them) and its mirror image",
            ActivationCalibration.Measure(net, "input", [150, 150, 3], crops)
                .ToDictionary(r => r.Key, r => new[] { r.Value.Min, r.Value.Max }, StringComparer.Ordinal));
}
