using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MatchService.Imaging;
using MatchService.Imaging.Decoding;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Imaging.Tests.Fixtures;
using MatchService.Vision;

namespace MatchService.Benchmarks.Imaging;

/// <summary>
/// Full-HD JPEG bytes → model tensor, single-threaded (so 1 / mean is images per second per core).
/// Each category compares the scaled (DCT) decode with a full decode of the same work (Ratio column, one run).
/// Run: dotnet run -c Release --project tests/MatchService.Benchmarks -- --filter '*ImagingPipeline*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ImagingPipelineBenchmarks
{
    // A person standing in the middle of the frame, in full-resolution pixels.
    private static readonly PixelBox PersonBox = new(760, 40, 400, 1000);

    private static readonly TensorSpec FaceSpec = new()
    {
        Width = 150,
        Height = 150,
        Layout = TensorLayout.Nhwc,
    };

    private static readonly TensorSpec PersonSpec = new()
    {
        Width = 128,
        Height = 256,
        Mean = new(123.675f, 116.28f, 103.53f),
        Std = new(58.395f, 57.12f, 57.375f),
    };

    private readonly ImageDecoder _decoder = new();
    private byte[] _jpeg = [];
    private float[] _faceSlot = [];   // stands in for one slot of the batcher's buffer
    private float[] _personSlot = [];

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = FullHdJpeg.Make();
        _faceSlot = new float[FaceSpec.ElementCount];
        _personSlot = new float[PersonSpec.ElementCount];
    }

    [Benchmark(Baseline = true, Description = "face 150x150: full decode")]
    [BenchmarkCategory("face150")]
    public void FaceFull() => Face(DecodeRequest.FullResolution);

    [Benchmark(Description = "face 150x150: scaled decode")]
    [BenchmarkCategory("face150")]
    public void FaceScaled() => Face(new DecodeRequest(FaceSpec.Width, FaceSpec.Height));

    [Benchmark(Baseline = true, Description = "person 256x128: full decode")]
    [BenchmarkCategory("person256x128")]
    public void PersonFull() => Person(DecodeRequest.FullResolution);

    [Benchmark(Description = "person 256x128: scaled decode")]
    [BenchmarkCategory("person256x128")]
    public void PersonScaled()
    {
        // The box must still give 128 × 256 pixels after scaling: ask for the image size that guarantees it.
        var info = _decoder.ReadInfo(_jpeg);
        int minWidth = (int)Math.Ceiling((double)info.OrientedWidth * PersonSpec.Width / PersonBox.Width);
        int minHeight = (int)Math.Ceiling((double)info.OrientedHeight * PersonSpec.Height / PersonBox.Height);
        Person(new DecodeRequest(minWidth, minHeight));
    }

    // face-api style: the whole frame padded to a centred square, bilinear, raw 0–255 NHWC.
    private void Face(DecodeRequest request)
    {
        using var decoded = _decoder.Decode(_jpeg, request);
        var image = decoded.Image;
        var square = SquareWindow.For(image.Width, image.Height, SquarePadding.Centered);
        TensorPacker.Pack(image, square, BorderMode.Constant, FaceSpec, _faceSlot);
    }

    // OSNet style: person box, bilinear, ImageNet mean/std, NCHW.
    private void Person(DecodeRequest request)
    {
        using var decoded = _decoder.Decode(_jpeg, request);
        double s = decoded.Scale;
        var box = PixelBox.Enclosing(PersonBox.X * s, PersonBox.Y * s, PersonBox.Width * s, PersonBox.Height * s);
        TensorPacker.Pack(decoded.Image, box, BorderMode.Constant, PersonSpec, _personSlot);
    }
}

/// <summary>A 1920 × 1080 JPEG (quality 90, 4:2:0, like a camera's) made from face-api's sample1.jpg (16:9 centre crop).</summary>
internal static class FullHdJpeg
{
    public static byte[] Make()
    {
        var sample = File.ReadAllBytes(Path.Combine(MatchService.Testing.RepositoryRoot.Path, ".cache/npm/face-api-1.7.15/package/demo/sample1.jpg"));
        using var decoded = new ImageDecoder().Decode(sample);
        var photo = decoded.Image;
        int height = photo.Width * 9 / 16;
        using var frame = ImageResampler.CropResize(
            photo, new PixelBox(0, (photo.Height - height) / 2, photo.Width, height), 1920, 1080, ResizeKind.Bilinear);
        return JpegEncoder.Encode(frame.Pixels, 1920, 1080, quality: 90, subsampling: JpegEncoder.Subsampling420);
    }

}
