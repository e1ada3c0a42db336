using System.Drawing;
using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;
using MatchService.Server.Intake;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Faces;

/// <summary>
/// A photo far larger than the face chain needs is searched in two DCT-scaled decodes; the face, its box in the photo's
/// own pixels and its feature are those of the full-resolution search, and it matches the photo it was made from.
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class LargePhotoTests(CalibratedFaceServer fixture, ITestOutputHelper output)
{
    private const int Factor = 3;

    [ModelsFact]
    public async Task ALargeJpegIsSearchedAtReducedScaleAndFindsTheFullResolutionFace()
    {
        // A face crop of sample 2 made eight times larger: a face of about 1100 px in a 7.5 MP photo, described from a quarter of its pixels.
        var crop = fixture.Faces.First(f => f.Sample == 2).Original;
        var image = new Contracts.V1.Image { Id = "large", Data = ByteString.CopyFrom(Enlarged(crop, 8)) };
        var services = fixture.Server!.Services;
        var scaled = services.GetRequiredService<FaceFinder>();
        using var fullResolution = new FaceFinder(services.GetRequiredService<ImageIntake>(), services.GetRequiredService<FacePipeline>(),
            Options.Create(new FaceOptions { ScaledDecodeAbovePixels = 0 }));

        var clock = new StageClock();
        var two = (await scaled.FindAsync(image, "large", null, null, clock, CancellationToken.None)).Face;
        var one = (await fullResolution.FindAsync(image, "large", null, null, new StageClock(), CancellationToken.None)).Face;
        Assert.NotNull(two);
        Assert.NotNull(one);
        var iou = IoU(one.Box, two.Box);
        var distance = Math.Sqrt(one.Feature.Feature.ToArray().Zip(two.Feature.Feature.ToArray(), (a, b) => (double)(a - b) * (a - b)).Sum());
        output.WriteLine($"full-resolution box {one.Box}, two-pass box {two.Box} described at scale {two.AnalysisScale}: IoU {iou:F3}; " +
            $"feature distance {distance:F4}; stages {clock.Format()}");
        Assert.Equal(1, one.AnalysisScale);
        Assert.True(two.AnalysisScale <= 0.5, $"described at scale {two.AnalysisScale}");
        Assert.True(iou > 0.9, $"IoU {iou}");
        Assert.True(distance < 0.1, $"distance {distance} between the features of one face described at two scales");
        Assert.Equal(0, scaled.Door.InFlight);
    }

    [ModelsFact]
    public async Task TheLargePhotoMatchesThePhotoItWasMadeFrom()
    {
        var original = await File.ReadAllBytesAsync(RepoPaths.Sample(2));
        using var channel = fixture.Server!.CreateChannel();
        var answer = await channel.CompareAsync(new CompareRequest
        {
            First = new CompareInput { Image = new Contracts.V1.Image { Id = "photo", Data = ByteString.CopyFrom(original) } },
            Second = new CompareInput { Image = new Contracts.V1.Image { Id = "large", Data = ByteString.CopyFrom(Enlarged(original, Factor)) } },
        });
        var small = answer.First.Face.Box;
        var large = answer.Second.Face.Box;
        output.WriteLine($"{answer.Verdict}, distance {answer.Distance:F3}; boxes {small} and {large}");
        Assert.Equal(Verdict.Same, answer.Verdict);
        Assert.True(IoU(new RectangleF(small.X * Factor, small.Y * Factor, small.Width * Factor, small.Height * Factor),
            new RectangleF(large.X, large.Y, large.Width, large.Height)) > 0.8, "the large photo's box is in its own pixels");
    }

    private static byte[] Enlarged(byte[] jpeg, int factor)
    {
        using var decoded = new ImageDecoder().Decode(jpeg);
        using var large = ImageResampler.Resize(decoded.Image, decoded.Image.Width * factor, decoded.Image.Height * factor);
        return JpegFiles.Encode(large, 90);
    }

    private static double IoU(RectangleF a, RectangleF b)
    {
        var i = RectangleF.Intersect(a, b);
        var inter = (double)i.Width * i.Height;
        return inter / ((a.Width * a.Height) + (b.Width * b.Height) - inter);
    }
}
