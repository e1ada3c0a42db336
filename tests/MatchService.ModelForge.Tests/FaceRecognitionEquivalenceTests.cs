using MatchService.Inference.Configuration;
using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Tests.Support;
using MatchService.Vision;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>The converted recognition net against face-api's descriptors on the same aligned crops.</summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class FaceRecognitionEquivalenceTests(ForgedModels models, ITestOutputHelper output)
{
    [Fact]
    public void DescriptorsMatchTheReferenceOnEverySampleFace()
    {
        var net = models.Model("alternatives/face_recognition_float");
        var golden = ReferenceGolden.Load();
        var inputs = new List<float[]>();
        var expected = new List<float[]>();
        foreach (var sample in golden.Samples)
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(sample.Number));
            foreach (var face in sample.Faces)
            {
                inputs.Add(ServicePacking.CentredSquare(net, image, FaceCrop.ClipAtImageBorders(face.AlignedCrop.ToRectangle(), image.Width, image.Height)));
                expected.Add(face.Descriptor);
            }
        }
        Assert.Equal(22, inputs.Count);

        var (values, shape) = net.RunImages(inputs)["embedding"];
        Assert.Equal([inputs.Count, 128L], shape);
        for (var i = 0; i < inputs.Count; i++)
        {
            var actual = values.AsSpan(i * 128, 128);
            var cosine = Vectors.Cosine(actual, expected[i]);
            output.WriteLine($"face {i}: cosine {cosine:F6}, distance {Vectors.Euclidean(actual, expected[i]):F5}, norm {Vectors.Norm(actual):F3}");
            Assert.True(cosine >= 0.999, $"face {i}: cosine {cosine} < 0.999");
            Assert.InRange(Vectors.Norm(actual), 1.2, 1.7);
        }
    }

    [Fact]
    public void ConfigDocumentsDlibNormalisationAndEuclideanMetric()
    {
        var net = models.Model("alternatives/face_recognition_float");
        Assert.Equal(DistanceMetric.Euclidean, net.Config.Metric);
        Assert.Equal(FaceApiModels.DlibMeanRgb, net.Config.Input.Mean);
        Assert.Equal([256f, 256, 256], net.Config.Input.Std!);
        Assert.Contains("calibration", net.Config.Description, StringComparison.Ordinal);
    }
}
