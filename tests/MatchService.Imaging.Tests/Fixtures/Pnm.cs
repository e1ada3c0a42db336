using System.Text;

namespace MatchService.Imaging.Tests.Fixtures;

/// <summary>A netpbm image (P5 gray or P6 RGB, 8 or 16 bit) read into 8-bit RGB for comparisons.</summary>
internal sealed record Pnm(int Width, int Height, byte[] Rgb)
{
    public static Pnm Parse(byte[] data)
    {
        int pos = 0;
        string magic = Token(data, ref pos);
        int width = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        int height = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        int maxval = int.Parse(Token(data, ref pos), System.Globalization.CultureInfo.InvariantCulture);
        pos++; // single whitespace before the raster
        int channels = magic switch
        {
            "P6" => 3,
            "P5" => 1,
            _ => throw new InvalidDataException($"unsupported netpbm type {magic}"),
        };
        int bytesPerSample = maxval > 255 ? 2 : 1;
        var rgb = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            for (int c = 0; c < 3; c++)
            {
                int s = pos + (((i * channels) + (channels == 3 ? c : 0)) * bytesPerSample);
                int v = bytesPerSample == 2 ? (data[s] << 8) | data[s + 1] : data[s];
                rgb[(i * 3) + c] = (byte)Math.Round(v * 255.0 / maxval);
            }
        }

        return new Pnm(width, height, rgb);
    }

    /// <summary>Encodes RGB as binary P6.</summary>
    public static byte[] ToPpm(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var header = Encoding.ASCII.GetBytes($"P6\n{width} {height}\n255\n");
        var result = new byte[header.Length + (width * height * 3)];
        header.CopyTo(result, 0);
        rgb[..(width * height * 3)].CopyTo(result.AsSpan(header.Length));
        return result;
    }

    /// <summary>Encodes one channel as binary P5.</summary>
    public static byte[] ToPgm(int width, int height, ReadOnlySpan<byte> gray)
    {
        var header = Encoding.ASCII.GetBytes($"P5\n{width} {height}\n255\n");
        var result = new byte[header.Length + (width * height)];
        header.CopyTo(result, 0);
        gray[..(width * height)].CopyTo(result.AsSpan(header.Length));
        return result;
    }

    private static string Token(byte[] data, ref int pos)
    {
        while (pos < data.Length && (char.IsWhiteSpace((char)data[pos]) || data[pos] == '#'))
        {
            if (data[pos] == '#')
            {
                while (pos < data.Length && data[pos] != '\n')
                {
                    pos++;
                }
            }

            pos++;
        }

        int start = pos;
        while (pos < data.Length && !char.IsWhiteSpace((char)data[pos]))
        {
            pos++;
        }

        return Encoding.ASCII.GetString(data, start, pos - start);
    }
}
