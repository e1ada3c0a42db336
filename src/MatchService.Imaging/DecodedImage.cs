namespace MatchService.Imaging;

/// <summary>
/// A decoded, upright image and what its header said. Disposing it returns the pixel buffer, and releases what was
/// <see cref="Attach"/>ed to it (a memory budget's lease).
/// </summary>
public sealed class DecodedImage : IDisposable
{
    private IDisposable? _attached;

    internal DecodedImage(RgbImage image, ImageInfo info)
    {
        Image = image;
        Info = info;
    }

    /// <summary>Upright RGB pixels, possibly smaller than the original when a scaled decode was asked for.</summary>
    public RgbImage Image { get; }

    /// <summary>The header of the encoded image.</summary>
    public ImageInfo Info { get; }

    /// <summary>Decoded width ÷ original (oriented) width: multiply original coordinates by it to address <see cref="Image"/>.</summary>
    public double Scale => (double)Image.Width / Info.OrientedWidth;

    /// <summary>Ties <paramref name="resource"/> to this image: it is disposed right after the pixel buffer is returned.</summary>
    /// <exception cref="InvalidOperationException">Something is already attached.</exception>
    public void Attach(IDisposable resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (Interlocked.CompareExchange(ref _attached, resource, null) is not null)
        {
            throw new InvalidOperationException("a resource is already attached to this image");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Image.Dispose();
        Interlocked.Exchange(ref _attached, null)?.Dispose();
    }
}
