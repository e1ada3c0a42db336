using MatchService.ModelForge.Tests.Support;
using MatchService.Vision;
using Xunit.Abstractions;

namespace MatchService.ModelForge.Tests;

/// <summary>The converted landmark net and FaceLandmarks68 decoding against face-api, on the reference's detection boxes.</summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class FaceLandmarksEquivalenceTests(ForgedModels models, ITestOutputHelper output)
{
    [Fact]
    public void LandmarksMatchTheReferenceWithinOnePixel()
    {
        var faces = 0;
        foreach (var sample in ReferenceGolden.Load().Samples)
        {
            var image = RgbImage.DecodeJpeg(RepoPaths.Sample(sample.Number));
            var boxes = sample.Faces.Select(f => f.Box.ToRectangleF()).ToList();
            var landmarks = FacePipeline.Landmarks(models, image, boxes);
            for (var i = 0; i < sample.Faces.Count; i++)
            {
                var face = sample.Faces[i];
                Assert.Equal(face.LandmarkCrop.ToRectangle(), FaceCrop.ClipAtImageBorders(boxes[i], image.Width, image.Height));
                var worst = 0.0;
                for (var p = 0; p < FaceLandmarks68.Count; p++)
                {
                    var dx = landmarks[i].Points[p].X - face.Landmarks[p][0];
                    var dy = landmarks[i].Points[p].Y - face.Landmarks[p][1];
                    worst = Math.Max(worst, Math.Sqrt((dx * dx) + (dy * dy)));
                }
                output.WriteLine($"{sample.File} face {i}: worst landmark error {worst:F4} px");
                Assert.True(worst < 1.0, $"{sample.File} face {i}: landmark error {worst} px");
                Assert.Equal(face.AlignedCrop.ToRectangle(), FaceCrop.EyesMouthSquare(landmarks[i]));
                faces++;
            }
        }
        Assert.Equal(22, faces);
    }
}
