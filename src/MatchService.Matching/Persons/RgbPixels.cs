namespace MatchService.Matching.Persons;

/// <summary>A view of decoded 8-bit RGB pixels (3 bytes per pixel, rows <see cref="Stride"/> bytes apart).</summary>
public readonly ref struct RgbPixels
{
    /// <summary>Wraps <paramref name="data"/>; throws when it is too short for the given geometry.</summary>
    public RgbPixels(ReadOnlySpan<byte> data, int width, int height, int stride)
    {
        if (width <= 0 || height <= 0 || stride < width * 3)
        {
            throw new MatchingArgumentException("pixels", $"has width {width}, height {height}, stride {stride}; expected positive sizes and stride ≥ 3·width");
        }

        if (data.Length < ((long)stride * (height - 1)) + (width * 3))
        {
            throw new MatchingArgumentException("pixels", $"has {data.Length} bytes; {width}×{height} RGB with stride {stride} needs {((long)stride * (height - 1)) + (width * 3)}");
        }

        Data = data;
        Width = width;
        Height = height;
        Stride = stride;
    }

    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Data { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride { get; }
}
