using System.Diagnostics;
using System.Text;
using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Imaging;
using MatchService.Imaging.Geometry;

namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>A person box in full-resolution pixels of a sample photo, chosen by looking at the photo.</summary>
/// <param name="X">Left.</param>
/// <param name="Y">Top.</param>
/// <param name="Width">Width.</param>
/// <param name="Height">Height.</param>
public readonly record struct Rect(int X, int Y, int Width, int Height)
{
    /// <summary>As a proto box.</summary>
    public Box ToBox() => new() { X = X, Y = Y, Width = Width, Height = Height };
}

/// <summary>
/// face-api's demo photos (real people, 1920 px wide) with the person boxes the tests give, and real changes made with
/// real codecs: decode with Imaging, edit pixels, encode with libjpeg-turbo's cjpeg.
/// </summary>
internal static class Photos
{
    /// <summary>Three people per photo, left to right (full-resolution pixels).</summary>
    public static readonly IReadOnlyDictionary<int, Rect[]> People = new Dictionary<int, Rect[]>
    {
        [1] = [new(160, 220, 560, 1060), new(740, 300, 500, 980), new(1240, 160, 600, 1120)],
        [2] = [new(20, 40, 860, 1320), new(820, 60, 480, 1300), new(1220, 40, 660, 1320)],
        [3] = [new(0, 200, 940, 1150), new(920, 140, 500, 1210), new(1340, 200, 540, 1150)],
    };

    private static readonly ImageDecoder Decoder = new();

    /// <summary>The encoded sample photo.</summary>
    public static byte[] Sample(int n) =>
        File.ReadAllBytes(RepoPaths.Sample(n));

    /// <summary>A proto image.</summary>
    public static Image Image(string id, byte[] data) => new() { Id = id, Data = ByteString.CopyFrom(data) };

    /// <summary>An embed item with boxes.</summary>
    public static EmbedImage Embed(string id, byte[] data, IEnumerable<Rect> boxes)
    {
        var item = new EmbedImage { Image = Image(id, data) };
        item.PersonBoxes.AddRange(boxes.Select(b => b.ToBox()));
        return item;
    }

    /// <summary>Decodes, applies <paramref name="edit"/> to the pixels, and encodes as JPEG at <paramref name="quality"/>.</summary>
    public static byte[] Edit(byte[] jpeg, Func<RgbImage, RgbImage> edit, int quality = 90)
    {
        using var decoded = Decoder.Decode(jpeg);
        var edited = edit(decoded.Image);
        try
        {
            return Encode(edited, quality);
        }
        finally
        {
            if (!ReferenceEquals(edited, decoded.Image))
            {
                edited.Dispose();
            }
        }
    }

    /// <summary>Left-right mirror.</summary>
    public static RgbImage Mirror(RgbImage image)
    {
        var output = RgbImage.Rent(image.Width, image.Height);
        for (var y = 0; y < image.Height; y++)
        {
            var src = image.Row(y);
            var dst = output.Row(y);
            for (var x = 0; x < image.Width; x++)
            {
                src.Slice(x * 3, 3).CopyTo(dst.Slice((image.Width - 1 - x) * 3, 3));
            }
        }

        return output;
    }

    /// <summary>Multiplies every channel by <paramref name="factor"/> (a badly lit copy).</summary>
    public static RgbImage Darken(RgbImage image, float factor)
    {
        var pixels = image.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Min(255, pixels[i] * factor);
        }

        return image;
    }

    /// <summary>Crops away <paramref name="dx"/>, <paramref name="dy"/> pixels at the top left (the content shifts).</summary>
    public static RgbImage Shift(RgbImage image, int dx, int dy) =>
        ImageResampler.Crop(image, new PixelBox(dx, dy, image.Width - dx, image.Height - dy));

    /// <summary>Rescales by <paramref name="scale"/> (area filter).</summary>
    public static RgbImage Scale(RgbImage image, double scale) =>
        ImageResampler.Resize(image, (int)Math.Round(image.Width * scale), (int)Math.Round(image.Height * scale), ResizeKind.Area);

    /// <summary>The photo shrunk by <paramref name="factor"/> in the middle of a black frame of its own size (a distant scene).</summary>
    public static RgbImage Distant(RgbImage image, int factor) =>
        ImageResampler.CropResize(image, new PixelBox(-image.Width * (factor - 1) / 2, -image.Height * (factor - 1) / 2, image.Width * factor, image.Height * factor),
            image.Width, image.Height, ResizeKind.Area, BorderMode.Constant);

    /// <summary>Crops a box (a candidate cut from a photo).</summary>
    public static byte[] Cut(byte[] jpeg, Rect box, int quality = 92) =>
        Edit(jpeg, image => ImageResampler.Crop(image, new PixelBox(box.X, box.Y, box.Width, box.Height)), quality);

    /// <summary>JPEG through cjpeg (libjpeg-turbo-progs) from a binary PPM.</summary>
    public static byte[] Encode(RgbImage image, int quality)
    {
        var start = new ProcessStartInfo("cjpeg", ["-quality", quality.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cjpeg did not start (install libjpeg-turbo-progs: scripts/setup.sh)");
        using var output = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(output);
        var input = process.StandardInput.BaseStream;
        input.Write(Encoding.ASCII.GetBytes($"P6\n{image.Width} {image.Height}\n255\n"));
        input.Write(image.Pixels);
        input.Close();
        copy.GetAwaiter().GetResult();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.ToArray() : throw new InvalidOperationException($"cjpeg failed: {process.StandardError.ReadToEnd()}");
    }
}
