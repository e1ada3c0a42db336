using System.Drawing;
using MatchService.ModelForge.Tests.Support;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>
/// The whole converted chain (detect, landmarks, crop, descriptor) on the six samples: distances between different
/// people of one photo, and between a face and itself after real changes of the photo (shift, rescale, re-encode, mirror).
/// </summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class FaceDistanceSurveyTests(ForgedModels models, ITestOutputHelper output)
{
    private const float MatchIou = 0.5f;

    [Fact]
    public void RealChangesStayCloserThanDifferentPeople()
    {
        var different = new List<double>();
        var changed = new List<double>();
        var mirrored = new List<double>();
        for (var n = 1; n <= 6; n++)
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(n));
            var faces = FacePipeline.DescribeFaces(models, image);
            for (var i = 0; i < faces.Count; i++)
            {
                for (var j = i + 1; j < faces.Count; j++)
                {
                    var d = Vectors.Euclidean(faces[i].Descriptor, faces[j].Descriptor);
                    different.Add(d);
                    output.WriteLine($"sample{n} different faces {i}-{j}: {d:F4}");
                }
            }

            const int dx = 37, dy = 23;
            var shifted = image.Crop(new Rectangle(dx, dy, image.Width - dx, image.Height - dy));
            var variants = new (string Name, RgbImage Image, Func<RectangleF, RectangleF> Map)[]
            {
                ("shifted", shifted, b => b with { X = b.X - dx, Y = b.Y - dy }),
                ("rescaled 0.7", TfImageOps.Rescale(image, (int)(image.Width * 0.7), (int)(image.Height * 0.7)),
                    b => new RectangleF(b.X * 0.7f, b.Y * 0.7f, b.Width * 0.7f, b.Height * 0.7f)),
                ("re-encoded q70", image.ReencodeJpeg(70), b => b),
                ("mirrored", image.Mirror(), b => b with { X = image.Width - b.Right }),
            };
            foreach (var (name, variant, map) in variants)
            {
                // A weak face may fall just under 0.5 after a change: look for it again at 0.3.
                var again = FacePipeline.DescribeFaces(models, variant, minConfidence: 0.3f);
                for (var i = 0; i < faces.Count; i++)
                {
                    var expected = map(faces[i].Face.Box);
                    var match = again.MaxBy(f => FaceDetectorEquivalenceTests.Iou(f.Face.Box, expected));
                    Assert.True(FaceDetectorEquivalenceTests.Iou(match.Face.Box, expected) >= MatchIou, $"sample{n} {name}: face {i} not found again");
                    var d = Vectors.Euclidean(faces[i].Descriptor, match.Descriptor);
                    (name == "mirrored" ? mirrored : changed).Add(d);
                    output.WriteLine($"sample{n} face {i} {name}: {d:F4}");
                }
            }
        }
        output.WriteLine($"different people: {different.Count} pairs, min {different.Min():F4}, below 0.6: {different.Count(d => d < 0.6)}");
        output.WriteLine($"shift/rescale/re-encode: {changed.Count} pairs, max {changed.Max():F4}");
        output.WriteLine($"mirror: {mirrored.Count} pairs, median {Median(mirrored):F4}, max {mirrored.Max():F4}");
        Assert.Equal(22 * 3, changed.Count);
        Assert.Equal(22, mirrored.Count);
        Assert.True(changed.Max() < different.Min(), $"a real change ({changed.Max():F4}) is farther than two different people ({different.Min():F4})");
        // dlib's descriptor is not mirror-symmetric: a mirrored face moves about as far as the closest different people,
        // so only the typical mirror distance is held below the typical different-people distance.
        Assert.True(Median(mirrored) < Median(different), $"median mirror distance {Median(mirrored):F4} >= median different-people distance {Median(different):F4}");
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
