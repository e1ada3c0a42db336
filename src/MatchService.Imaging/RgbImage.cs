using MatchService.Imaging.Memory;

namespace MatchService.Imaging;

/// <summary>
/// An 8-bit RGB image (interleaved, rows top to bottom, stride = width × 3) whose pixels live in an array
/// rented from <see cref="ImageArrayPools.Bytes"/> (small ones from the shared pool), so steady-state decoding
/// reuses buffers instead of allocating a large-object-heap array per image, and an idle server can let them go. Dispose it to give the buffer back; it must not be
/// used afterwards.
/// </summary>
public sealed class RgbImage : IDisposable
{
    private byte[]? _buffer;

    private RgbImage(int width, int height, byte[] buffer)
    {
        Width = width;
        Height = height;
        _buffer = buffer;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Bytes per row (width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>All pixels, R, G, B per pixel, row after row.</summary>
    public Span<byte> Pixels => Buffer.AsSpan(0, checked(Stride * Height));

    /// <summary>One row of pixels.</summary>
    public Span<byte> Row(int y) => Buffer.AsSpan(y * Stride, Stride);

    /// <summary>Rents a pooled image; its contents are undefined until written.</summary>
    public static RgbImage Rent(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        long size = (long)width * height * 3;
        if (size > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(width), $"{width}×{height} RGB does not fit one buffer");
        }

        return new RgbImage(width, height, ImageArrayPools.Bytes.Rent((int)size));
    }

    /// <summary>Copies packed RGB bytes (width × height × 3) into a new pooled image.</summary>
    public static RgbImage FromRgb(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var image = Rent(width, height);
        rgb[..(width * height * 3)].CopyTo(image.Pixels);
        return image;
    }

    internal byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(RgbImage));

    /// <inheritdoc />
    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
        {
            ImageArrayPools.Bytes.Return(buffer);
        }
    }
}
