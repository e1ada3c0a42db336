using System.Drawing;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>One face cut from a sample photo: its identity and the encoded original and changed versions.</summary>
/// <param name="Identity">e.g. <c>sample4-face2</c>.</param>
/// <param name="Sample">The photo number.</param>
/// <param name="Original">The face crop (2.5 times the detected box, square, other faces greyed out) as JPEG quality 92.</param>
/// <param name="Variants">The same face after real changes, by name.</param>
public sealed record SampleFace(string Identity, int Sample, byte[] Original, IReadOnlyDictionary<string, byte[]> Variants);

/// <summary>
/// Cuts every face the detector finds in face-api's demo photos and re-encodes it with real changes: shifted and
/// rescaled crop, ±20 % brightness, mirror, JPEG quality 40, half size. Genuine pairs are (original, change);
/// impostor pairs are two different faces of one photo.
/// </summary>
internal static class FaceDataset
{
    /// <summary>Suffix of a <see cref="Dropped"/> entry whose face the SSD detects and the face path still lost.</summary>
    public const string LostToTheCheck = " (the SSD detects it)";

    /// <summary>Changed faces left out because the face path no longer finds a face in them.</summary>
    public static System.Collections.Concurrent.ConcurrentBag<string> Dropped { get; } = [];

    /// <summary>Names of the changes.</summary>
    public static readonly string[] VariantNames = ["shifted", "brighter", "darker", "mirrored", "jpeg40", "half"];

    /// <summary>Faces of the given samples, found by the server's own detector.</summary>
    public static async Task<IReadOnlyList<SampleFace>> CutAsync(FacePipeline pipeline, IEnumerable<int> samples)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        var decoder = new ImageDecoder();
        var result = new List<SampleFace>();
        foreach (var n in samples)
        {
            using var decoded = decoder.Decode(await File.ReadAllBytesAsync(RepoPaths.Sample(n)));
            var image = decoded.Image;
            // The SSD's boxes (the fallback detector where the default runs the tiny one first): the 22 reference faces.
            var faces = (await pipeline.DetectAsync(image, null, new StageClock(), CancellationToken.None, fallback: pipeline.Models.FallbackDetector is not null)).Select(f => f.Box).ToList();
            for (var i = 0; i < faces.Count; i++)
            {
                var box = faces[i];
                using var alone = Alone(image, faces, i);
                using var original = Cut(alone, box, 2.5, 0, 0);
                using var shifted = Cut(alone, box, 2.9, 0.1, -0.07);
                using var brighter = Scaled(original, 1.2);
                using var darker = Scaled(original, 0.8);
                using var mirrored = Mirror(original);
                using var half = ImageResampler.Resize(original, Math.Max(1, original.Width / 2), Math.Max(1, original.Height / 2), ResizeKind.Area);
                var variants = new Dictionary<string, byte[]>
                {
                    ["shifted"] = JpegFiles.Encode(shifted),
                    ["brighter"] = JpegFiles.Encode(brighter),
                    ["darker"] = JpegFiles.Encode(darker),
                    ["mirrored"] = JpegFiles.Encode(mirrored),
                    ["jpeg40"] = JpegFiles.Encode(original, 40),
                };

                variants["half"] = JpegFiles.Encode(half);

                // A change the face path cannot find the face in any more makes no pair (NonFaceTests asserts there is none).
                foreach (var (name, bytes) in variants.ToList())
                {
                    using var check = decoder.Decode(bytes);
                    var search = await pipeline.AnalyzeAsync(check.Image, null, name, null, new StageClock(), CancellationToken.None);
                    if (search.Face is null)
                    {
                        variants.Remove(name);
                        var detected = await SsdDetectsAsync(pipeline, check.Image);
                        Dropped.Add($"sample{n}-face{i}-{name}{(detected ? LostToTheCheck : "")}");
                    }
                }

                result.Add(new SampleFace($"sample{n}-face{i}", n, JpegFiles.Encode(original), variants));
            }
        }

        return result;
    }

    /// <summary>
    /// True when the SSD (the fallback detector where there is one, else the face detector) detects anything: the old
    /// face path found a face in every such image, so the new one must not lose it.
    /// </summary>
    public static async Task<bool> SsdDetectsAsync(FacePipeline pipeline, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return (await pipeline.DetectAsync(image, null, new StageClock(), CancellationToken.None, fallback: pipeline.Models.FallbackDetector is not null)).Count > 0;
    }

    /// <summary>True when the face detector, or the fallback detector where there is one, detects anything.</summary>
    public static async Task<bool> AnyDetectionAsync(FacePipeline pipeline, RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return (await pipeline.DetectAsync(image, null, new StageClock(), CancellationToken.None)).Count > 0
            || await SsdDetectsAsync(pipeline, image);
    }

    /// <summary>A square crop of <paramref name="scale"/> × the box side around its centre moved by (dx, dy) × side.</summary>
    public static RgbImage Cut(RgbImage image, RectangleF box, double scale, double dx, double dy)
    {
        ArgumentNullException.ThrowIfNull(image);
        var side = Math.Max(box.Width, box.Height) * scale;
        var cx = box.X + (box.Width / 2) + (dx * side);
        var cy = box.Y + (box.Height / 2) + (dy * side);
        var window = PixelBox.Enclosing(cx - (side / 2), cy - (side / 2), side, side).ClipTo(image.Width, image.Height);
        return ImageResampler.Crop(image, window);
    }

    /// <summary>
    /// A copy of the photo with every other face greyed out (the target's own box restored), so that a crop shows
    /// one face and "the most confident face" of the crop is the intended one.
    /// </summary>
    public static RgbImage Alone(RgbImage image, IReadOnlyList<RectangleF> boxes, int keep)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(boxes);
        var result = RgbImage.FromRgb(image.Width, image.Height, image.Pixels);
        for (var i = 0; i < boxes.Count; i++)
        {
            if (i != keep)
            {
                Fill(result, boxes[i], 0.15, 128, null);
            }
        }

        Fill(result, boxes[keep], 0, null, image);
        return result;
    }

    private static void Fill(RgbImage target, RectangleF box, double grow, byte? value, RgbImage? from)
    {
        var x0 = (int)Math.Clamp(box.X - (box.Width * grow), 0, target.Width);
        var x1 = (int)Math.Clamp(box.Right + (box.Width * grow), 0, target.Width);
        var y0 = (int)Math.Clamp(box.Y - (box.Height * grow), 0, target.Height);
        var y1 = (int)Math.Clamp(box.Bottom + (box.Height * grow), 0, target.Height);
        for (var y = y0; y < y1; y++)
        {
            var row = target.Row(y)[(x0 * 3)..(x1 * 3)];
            if (from is not null)
            {
                from.Row(y)[(x0 * 3)..(x1 * 3)].CopyTo(row);
            }
            else
            {
                row.Fill(value ?? 128);
            }
        }
    }

    /// <summary>Pixels × <paramref name="factor"/>, clamped.</summary>
    public static RgbImage Scaled(RgbImage image, double factor)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = RgbImage.FromRgb(image.Width, image.Height, image.Pixels);
        var px = result.Pixels;
        for (var i = 0; i < px.Length; i++)
        {
            px[i] = (byte)Math.Clamp(Math.Round(px[i] * factor), 0, 255);
        }

        return result;
    }

    /// <summary>Left-right mirror.</summary>
    public static RgbImage Mirror(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = RgbImage.Rent(image.Width, image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            var from = image.Row(y);
            var to = result.Row(y);
            for (var x = 0; x < image.Width; x++)
            {
                from.Slice((image.Width - 1 - x) * 3, 3).CopyTo(to.Slice(x * 3, 3));
            }
        }

        return result;
    }

    /// <summary>A box blur of the given radius, repeated three times (close to a Gaussian).</summary>
    public static RgbImage Blurred(RgbImage image, int radius)
    {
        ArgumentNullException.ThrowIfNull(image);
        var current = RgbImage.FromRgb(image.Width, image.Height, image.Pixels);
        for (var pass = 0; pass < 3; pass++)
        {
            var side = (2 * radius) + 1;
            using var small = ImageResampler.Resize(current, Math.Max(1, image.Width / side), Math.Max(1, image.Height / side), ResizeKind.Area);
            current.Dispose();
            current = ImageResampler.Resize(small, image.Width, image.Height, ResizeKind.Bilinear);
        }

        return current;
    }

    /// <summary>Covers all but the top <paramref name="keepTop"/> share of the box with grey (a scarf/mask/hand).</summary>
    public static RgbImage Covered(RgbImage image, RectangleF box, double keepTop) => Covered(image, box, keepTop, 128, 128, 128);

    /// <summary>Covers all but the top <paramref name="keepTop"/> share of the box with a flat colour.</summary>
    public static RgbImage Covered(RgbImage image, RectangleF box, double keepTop, byte r, byte g, byte b)
    {
        ArgumentNullException.ThrowIfNull(image);
        var result = RgbImage.FromRgb(image.Width, image.Height, image.Pixels);
        var y0 = (int)Math.Max(0, box.Y + (box.Height * keepTop));
        var y1 = (int)Math.Min(image.Height, box.Bottom + (box.Height * 0.1));
        var x0 = (int)Math.Max(0, box.X - (box.Width * 0.1));
        var x1 = (int)Math.Min(image.Width, box.Right + (box.Width * 0.1));
        for (var y = y0; y < y1; y++)
        {
            var row = result.Row(y);
            for (var x = x0; x < x1; x++)
            {
                row[x * 3] = r;
                row[(x * 3) + 1] = g;
                row[(x * 3) + 2] = b;
            }
        }

        return result;
    }

    /// <summary>
    /// The face of <paramref name="face"/> made unusable, each with the face box (the middle 1/2.5 of the crop, given to
    /// the server since a detector rightly may not find such a face): blurred until unrecognisable (box blur of a sixth
    /// of the face side, three times), and 70 % of the box height (plus a 10 % margin) under a flat grey, black or
    /// skin-coloured patch (a scarf, mask or hand).
    /// </summary>
    public static IReadOnlyList<(string Name, byte[] Jpeg, RectangleF Box)> Degraded(SampleFace face)
    {
        ArgumentNullException.ThrowIfNull(face);
        using var decoded = new ImageDecoder().Decode(face.Original);
        var image = decoded.Image;
        var side = image.Width / 2.5f;
        var box = new RectangleF((image.Width - side) / 2, (image.Height - side) / 2, side, side);
        using var blurred = Blurred(image, Math.Max(2, (int)(side / 6)));
        using var grey = Covered(image, box, 0.3);
        using var black = Covered(image, box, 0.3, 20, 20, 20);
        using var skin = Covered(image, box, 0.3, 224, 172, 140);
        return
        [
            ("blurred", JpegFiles.Encode(blurred), box),
            ("covered-grey", JpegFiles.Encode(grey), box),
            ("covered-black", JpegFiles.Encode(black), box),
            ("covered-skin", JpegFiles.Encode(skin), box),
        ];
    }
}
