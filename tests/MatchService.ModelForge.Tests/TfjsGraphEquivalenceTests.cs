using MatchService.ModelForge.Graph;
using MatchService.ModelForge.Tests.Support;
using MatchService.ModelForge.TfJs;
using MatchService.Vision;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>
/// TF.js graph models converted by <see cref="TfjsGraphConverter"/> against the same models run by TensorFlow.js
/// (reference/make-tfjs-golden.mjs) on face-api's sample photos, fed identical inputs. Tolerance per value:
/// |ours − reference| ≤ abs + rel·|reference|, with abs and rel stated per model below (float16-stored weights run
/// in float32 on both sides; the differences left are summation order).
/// </summary>
public sealed class TfjsGraphEquivalenceTests(ITestOutputHelper output)
{
    public static TheoryData<string, string, double, double> Models => new()
    {
        // MoveNet MultiPose: keypoints and boxes (0..1 of the input) and scores, decoded in-graph (TopK, GatherNd...).
        { "movenet-multipose", "1,256,256,3", 1e-4, 1e-4 },
        // CenterNet: 100 detections [x1, y1, x2, y2 in input pixels, score, class].
        { "centernet", "1,512,512,3", 1e-2, 1e-4 },
        // BlazeFace (the faces path): anchor logits and box/keypoint regressions in input pixels.
        { "blazeface", "1,256,256,3", 1e-3, 1e-4 },
        // MobileFaceNet (the faces path): a unit-length 192-d embedding.
        { "mobilefacenet", "-1,112,112,3", 1e-5, 1e-3 },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ConvertedModelMatchesTensorFlowJsOnSamplePhotos(string name, string inputShape, double abs, double rel)
    {
        var golden = TfjsGolden.Load().Model(name);
        var onnxOutputs = golden.Outputs.Select(o => (o, "out_" + o.Replace(':', '_').Replace('/', '_'))).ToList();
        var model = TfjsGraphConverter.Convert(RepoPaths.HumanModel(name), new TfjsConversionOptions
        {
            GraphName = name,
            InputShape = inputShape.Split(',').Select(d => d == "-1" ? (long?)null : long.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToList(),
            Outputs = onnxOutputs,
        });
        var path = Path.Combine(Path.GetTempPath(), $"tfjs-{name}-{Guid.NewGuid():N}.onnx");
        OnnxGraphBuilder.Save(model, path);
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 2 };
            using var session = new InferenceSession(path, options);
            foreach (var sample in golden.Samples)
            {
                var input = Input(golden, RgbImage.DecodeJpeg(RepoPaths.Sample(sample.Number)));
                foreach (var p in sample.Input.Probes)
                {
                    Assert.Equal(p.Value, input[(((p.Y * golden.Side) + p.X) * 3) + p.C], 3);
                }
                Assert.Equal(sample.Input.Sum, input.Sum(v => (double)v), (Math.Abs(sample.Input.Sum) * 1e-6) + 1e-3);

                using var tensor = OrtValue.CreateTensorValueFromMemory(input, [1, golden.Side, golden.Side, 3]);
                using var runOptions = new RunOptions();
                using var results = session.Run(runOptions, ["input"], [tensor], onnxOutputs.Select(o => o.Item2).ToList());
                for (var o = 0; o < onnxOutputs.Count; o++)
                {
                    var expected = sample.Outputs[onnxOutputs[o].o];
                    var actual = results[o].GetTensorDataAsSpan<float>().ToArray();
                    Assert.Equal(expected.Shape, results[o].GetTensorTypeAndShape().Shape);
                    var worst = 0.0;
                    foreach (var row in expected.Rows)
                    {
                        for (var k = 0; k < expected.RowSize; k++)
                        {
                            var (ours, reference) = (actual[(row.Index * expected.RowSize) + k], row.Values[k]);
                            var error = Math.Abs(ours - reference);
                            worst = Math.Max(worst, error / (abs + (rel * Math.Abs(reference))));
                            Assert.True(error <= abs + (rel * Math.Abs(reference)),
                                $"{name} {sample.File} {onnxOutputs[o].o} row {row.Index} value {k}: {ours} vs reference {reference}");
                        }
                    }
                    output.WriteLine($"{name} {sample.File} {onnxOutputs[o].o}: {expected.Rows.Count} rows, worst error {worst:P1} of the tolerance");
                }
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The reference's input: padded bottom/right to a square, legacy bilinear, scaled; int32 models get rounded values.</summary>
    private static float[] Input(TfjsGoldenModel golden, RgbImage image)
    {
        var resized = TfImageOps.PadAndResize(image.ToFloats(), image.Width, image.Height,
            SquareWindow.For(image.Width, image.Height, SquarePadding.BottomRight), golden.Side);
        for (var i = 0; i < resized.Length; i++)
        {
            var v = (float)((resized[i] * golden.Scale) + golden.Offset);
            resized[i] = golden.Dtype == "int32" ? MathF.Round(v, MidpointRounding.ToEven) : v;
        }
        return resized;
    }
}
