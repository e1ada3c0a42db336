using System.Drawing;
using MatchService.Inference.Configuration;
using MatchService.ModelForge.TestModels;
using MatchService.ModelForge.Tests.Support;
using MatchService.Vision;

namespace MatchService.ModelForge.Tests;

/// <summary>
/// Models of other shapes (ArcFace-style 112x112 NCHW, OSNet-style 256x128 NCHW with ImageNet mean/std) run through
/// the same config-driven code path as the default face descriptor: nothing but config.json says how to feed them.
/// </summary>
[Collection(ForgedModelsGroup.Name)]
public sealed class ConfigOnlyDropInTests(ForgedModels models) : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "modelforge-dropin-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public void DifferentlyShapedEmbeddersRunFromTheirConfigAlone()
    {
        TestModelSet.ArcFaceStyleEmbedder().WriteTo(_dir);
        TestModelSet.OsNetStyleEmbedder().WriteTo(_dir);
        var image = RgbImage.DecodeJpeg(RepoPaths.Sample(1));
        var face = ReferenceGolden.Load().Samples[0].Faces[0].AlignedCrop.ToRectangle();
        foreach (var folder in new[] { Path.Combine(models.Root, "face_recognition"), Path.Combine(_dir, "arcface_style"), Path.Combine(_dir, "osnet_style") })
        {
            using var net = new OnnxModel(folder);
            var embedding = EmbedThroughConfig(net, image, face);
            Assert.Equal(net.Config.OutputFor(OutputMeaning.Embedding)!.Dim, embedding.Length);
            Assert.True(Vectors.Norm(embedding) > 0, folder);
        }
    }

    [Fact]
    public void AConfigWithAnUnknownKeyIsRejectedWithItsPath()
    {
        TestModelSet.ArcFaceStyleEmbedder().WriteTo(_dir);
        var path = Path.Combine(_dir, "arcface_style", "config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"metric\"", "\"metrik\"", StringComparison.Ordinal));
        var error = Assert.Throws<ModelConfigException>(() => ModelConfigFile.Parse(File.ReadAllText(path), path));
        Assert.Equal($"{path}: metrik is not a known field", error.Message);
    }

    /// <summary>Crop, pad to a centred square, resize to the config's size, normalise with its mean/std, pack its layout.</summary>
    private static float[] EmbedThroughConfig(OnnxModel net, RgbImage image, Rectangle region)
    {
        var input = net.Config.Input;
        var crop = image.Crop(FaceCrop.ClipAtImageBorders(region, image.Width, image.Height));
        var square = SquareWindow.For(crop.Width, crop.Height, SquarePadding.Centered);
        var pixels = TfImageOps.PadAndResize(crop.ToFloats(), crop.Width, crop.Height, square, input.Width);
        if (input.Height != input.Width)
        {
            pixels = TfImageOps.Rescale(new RgbImage(input.Width, input.Width, Array.ConvertAll(pixels, v => (byte)v)),
                input.Width, input.Height).ToFloats();
        }
        var (values, shape) = net.RunImages([TfImageOps.Normalise(pixels, input.Mean ?? [0, 0, 0], input.Std ?? [1, 1, 1])])[net.Config.Outputs[0].Name];
        Assert.Equal(1, shape[0]);
        return values;
    }
}
