using MatchService.ModelForge.Graph;
using MatchService.ModelForge.TfJs;
using MatchService.ModelForge.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.ModelForge.Tests;

/// <summary>What the TF.js converter refuses, and the batch dimension it keeps symbolic.</summary>
public sealed class TfjsGraphConverterTests
{
    [Fact]
    public void AnOpOutsideTheTableIsRefusedWithTheNodeAndTheOp()
    {
        // NanoDet's graph builds its padding with SparseToDense, which the converter does not translate.
        var e = Assert.Throws<NotSupportedException>(() => TfjsGraphConverter.Convert(RepoPaths.HumanModel("nanodet"),
            new TfjsConversionOptions { GraphName = "nanodet" }));
        Assert.Contains("(SparseToDense) is not translated; supported ops:", e.Message);
        Assert.Contains("nanodet.json", e.Message);
    }

    [Fact]
    public void ASymbolicBatchRunsSeveralImagesAtOnceWithTheSameResultsAsOneByOne()
    {
        var model = TfjsGraphConverter.Convert(RepoPaths.HumanModel("mobilefacenet"),
            new TfjsConversionOptions { GraphName = "mobilefacenet", InputShape = [null, 112, 112, 3], Outputs = [("embeddings", "embedding")] });
        var path = Path.Combine(Path.GetTempPath(), $"tfjs-batch-{Guid.NewGuid():N}.onnx");
        OnnxGraphBuilder.Save(model, path);
        try
        {
            using var session = new InferenceSession(path);
            var items = Enumerable.Range(1, 3).Select(n =>
            {
                var image = RgbImage.DecodeJpeg(RepoPaths.Sample(n));
                return TfImageOps.Rescale(image, 112, 112).ToFloats().Select(v => v / 255f).ToArray();
            }).ToList();
            float[] Run(float[] batch, int count)
            {
                using var input = OrtValue.CreateTensorValueFromMemory(batch, [count, 112, 112, 3]);
                using var runOptions = new RunOptions();
                using var outputs = session.Run(runOptions, ["input"], [input], ["embedding"]);
                return outputs[0].GetTensorDataAsSpan<float>().ToArray();
            }
            var together = Run([.. items.SelectMany(i => i)], items.Count);
            Assert.Equal(items.Count * 192, together.Length);
            for (var i = 0; i < items.Count; i++)
            {
                var alone = Run(items[i], 1);
                Assert.True(Vectors.Cosine(alone, together.AsSpan(i * 192, 192)) > 0.99999, $"item {i} differs in the batch");
                Assert.InRange(Vectors.Norm(alone), 0.999, 1.001);
            }
            Assert.True(Vectors.Cosine(together.AsSpan(0, 192), together.AsSpan(192, 192)) < 0.9999, "different photos gave one embedding");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
