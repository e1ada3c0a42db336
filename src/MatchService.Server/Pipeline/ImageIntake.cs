using System.Diagnostics;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;
using ProtoImage = MatchService.Contracts.V1.Image;

namespace MatchService.Server.Pipeline;

/// <summary>
/// Turns a proto <c>Image</c> into a decoded, upright <see cref="RgbImage"/>. Every failure becomes INVALID_ARGUMENT
/// naming the image id and the reason (e.g. <c>image 'a.jpg': data ends before the image does</c>).
/// </summary>
public sealed class ImageIntake
{
    private readonly ImageDecoder _decoder;
    private readonly ImagingMetrics _metrics;

    /// <summary>Creates the intake with the configured size limits.</summary>
    public ImageIntake(IOptions<PipelineOptions> options, ImagingMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(options);
        _metrics = metrics;
        _decoder = new ImageDecoder(new ImageDecoderOptions
        {
            MaxPixels = options.Value.MaxImagePixels,
            MaxEncodedBytes = options.Value.MaxImageBytes,
        });
    }

    /// <summary>The decoder in use.</summary>
    public ImageDecoder Decoder => _decoder;

    /// <summary>The id errors and results use: the client's id, or <c>field</c> when it sent none.</summary>
    public static string IdOf(ProtoImage? image, string field) =>
        string.IsNullOrEmpty(image?.Id) ? field : image.Id;

    /// <summary>Decodes one image; the caller disposes the result.</summary>
    /// <param name="image">The proto image.</param>
    /// <param name="field">Where it sits in the request (e.g. <c>first.image</c>), used when the id is empty.</param>
    /// <exception cref="RpcException">INVALID_ARGUMENT naming the image and what was wrong.</exception>
    public DecodedImage Decode(ProtoImage? image, string field)
    {
        var id = IdOf(image, field);
        if (image is null)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: no image was given"));
        }

        var start = Stopwatch.GetTimestamp();
        try
        {
            var decoded = _decoder.Decode(image.Data.Span, DecodeRequest.FullResolution, id);
            _metrics.RecordDecode(FormatLabel(decoded.Info.Format), Stopwatch.GetElapsedTime(start).TotalSeconds);
            return decoded;
        }
        catch (ImageDecodeException e)
        {
            _metrics.RecordDecode(FormatLabel(e.Format), Stopwatch.GetElapsedTime(start).TotalSeconds, ok: false);
            // The decoder's message already names the image and says what was wrong, with the limit or the bytes seen.
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.ImageId is null ? $"image '{id}': {e.Message}" : e.Message));
        }
    }

    private static string FormatLabel(ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpeg",
        ImageFormat.Png => "png",
        ImageFormat.Webp => "webp",
        _ => "unknown",
    };

    /// <summary>Decodes on the thread pool (decoding is CPU work; keep it off the request's I/O path).</summary>
    public Task<DecodedImage> DecodeAsync(ProtoImage? image, string field, CancellationToken cancellationToken) =>
        Task.Run(() => Decode(image, field), cancellationToken);
}
