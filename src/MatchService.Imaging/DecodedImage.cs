namespace MatchService.Imaging;

/// <summary>A decoded, upright image and what its header said. Disposing it returns the pixel buffer.</summary>
public sealed class DecodedImage : IDisposable
{
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

    /// <inheritdoc />
    public void Dispose() => Image.Dispose();
}
