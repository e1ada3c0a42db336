using System.Diagnostics;
using System.Drawing;

namespace MatchService.ModelForge.Tests.Support;

/// <summary>An 8-bit RGB image, row-major HWC, decoded by Debian's djpeg (libjpeg-turbo) like the reference run.</summary>
internal sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public static RgbImage DecodeJpeg(string path) => ParsePpm(RunTool("djpeg", ["-ppm", path], null), path);

    /// <summary>Re-encodes through cjpeg at the given quality and decodes again.</summary>
    public RgbImage ReencodeJpeg(int quality)
    {
        var ppm = new MemoryStream();
        ppm.Write(System.Text.Encoding.ASCII.GetBytes($"P6\n{Width} {Height}\n255\n"));
        ppm.Write(Pixels);
        var jpeg = RunTool("cjpeg", ["-quality", quality.ToString(System.Globalization.CultureInfo.InvariantCulture)], ppm.ToArray());
        var tmp = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(tmp, jpeg);
            return DecodeJpeg(tmp);
        }
        finally
        {
            File.Delete(tmp);
        }
    }

    /// <summary>Pixel rectangle copied out (must lie inside the image).</summary>
    public RgbImage Crop(Rectangle r)
    {
        var px = new byte[r.Width * r.Height * 3];
        for (var y = 0; y < r.Height; y++)
        {
            Array.Copy(Pixels, (((r.Y + y) * Width) + r.X) * 3, px, y * r.Width * 3, r.Width * 3);
        }
        return new RgbImage(r.Width, r.Height, px);
    }

    /// <summary>Left-right mirror.</summary>
    public RgbImage Mirror()
    {
        var px = new byte[Pixels.Length];
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < Width; x++)
            {
                Array.Copy(Pixels, ((y * Width) + x) * 3, px, ((y * Width) + (Width - 1 - x)) * 3, 3);
            }
        }
        return this with { Pixels = px };
    }

    /// <summary>As floats 0–255.</summary>
    public float[] ToFloats() => Array.ConvertAll(Pixels, b => (float)b);

    private static RgbImage ParsePpm(byte[] ppm, string source)
    {
        var pos = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)ppm[pos]))
            {
                pos++;
            }
            var start = pos;
            while (!char.IsWhiteSpace((char)ppm[pos]))
            {
                pos++;
            }
            return System.Text.Encoding.ASCII.GetString(ppm, start, pos - start);
        }
        if (Token() != "P6")
        {
            throw new InvalidDataException($"{source}: djpeg did not write P6");
        }
        var w = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        var h = int.Parse(Token(), System.Globalization.CultureInfo.InvariantCulture);
        _ = Token();
        pos++;
        return new RgbImage(w, h, ppm.AsSpan(pos, w * h * 3).ToArray());
    }

    private static byte[] RunTool(string tool, string[] args, byte[]? stdin)
    {
        var psi = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardInput = stdin is not null, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        if (stdin is not null)
        {
            p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        copy.Wait();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {p.StandardError.ReadToEnd()}");
        }
        return stdout.ToArray();
    }
}
