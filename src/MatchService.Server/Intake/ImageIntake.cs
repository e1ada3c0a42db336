using System.Diagnostics;
using Grpc.Core;
using MatchService.Imaging;
using MatchService.Inference.Runtime;
using MatchService.Server.Pipeline;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;
using ProtoImage = MatchService.Contracts.V1.Image;

namespace MatchService.Server.Intake;

/// <summary>
/// Turns a proto <c>Image</c> into a decoded, upright <see cref="RgbImage"/>. Every failure becomes INVALID_ARGUMENT
/// naming the image id and the reason (e.g. <c>image 'a.jpg': data ends before the image does</c>). Each decode first
/// takes its decoded size from the server's <see cref="DecodedPixelBudget"/> (read from the header, before any pixel
/// buffer) and the returned image gives it back when disposed; a failed or cancelled decode gives it back at once.
/// </summary>
internal sealed class ImageIntake
{
    private readonly ImageDecoder _decoder;
    private readonly DecodedPixelBudget _budget;
    private readonly ImagingMetrics _metrics;
    private readonly ComputeThreads _threads;

    /// <summary>Creates the intake with the configured size limits, the server's pixel budget, the decode metrics and the threads decodes run on.</summary>
    public ImageIntake(IOptions<PipelineOptions> options, DecodedPixelBudget budget, ImagingMetrics metrics, ComputeThreads threads)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(threads);
        _budget = budget;
        _metrics = metrics;
        _threads = threads;
        _decoder = new ImageDecoder(new ImageDecoderOptions
        {
            MaxPixels = options.Value.MaxImagePixels,
            MaxEncodedBytes = options.Value.MaxImageBytes,
        });
    }

    /// <summary>The decoder in use.</summary>
    public ImageDecoder Decoder => _decoder;

    /// <summary>The budget every decode draws on.</summary>
    public DecodedPixelBudget Budget => _budget;

    /// <summary>The id errors and results use: the client's id, or <c>field</c> when it sent none.</summary>
    public static string IdOf(ProtoImage? image, string field) =>
        string.IsNullOrEmpty(image?.Id) ? field : image.Id;

    /// <summary>Decodes one image at full resolution; see <see cref="DecodeAsync(ProtoImage?, string, DecodeRequest, CancellationToken)"/>.</summary>
    public Task<DecodedImage> DecodeAsync(ProtoImage? image, string field, CancellationToken cancellationToken) =>
        DecodeAsync(image, field, DecodeRequest.FullResolution, cancellationToken);

    /// <summary>
    /// Waits for the image's decoded pixels to fit the budget, then decodes it on <see cref="ComputeThreads"/> (decoding is
    /// CPU work; keep it off the thread pool, which reads the requests). A <paramref name="request"/> with the size the first model needs
    /// lets JPEGs decode at a DCT scale of 1/2, 1/4 or 1/8, which takes that much less of the budget; coordinates on the
    /// result are then scaled by <see cref="DecodedImage.Scale"/>. The caller disposes the result.
    /// </summary>
    /// <param name="image">The proto image.</param>
    /// <param name="field">Where it sits in the request (e.g. <c>first.image</c>), used when the id is empty.</param>
    /// <param name="request">The smallest size the next step can use, or full resolution.</param>
    /// <param name="cancellationToken">The call's token: ends the wait for the budget and skips a decode not yet started.</param>
    /// <exception cref="RpcException">INVALID_ARGUMENT naming the image and what was wrong.</exception>
    public async Task<DecodedImage> DecodeAsync(ProtoImage? image, string field, DecodeRequest request, CancellationToken cancellationToken)
    {
        var id = IdOf(image, field);
        var data = Data(image, field);
        var pixels = ImageDecoder.DecodedPixels(ReadInfo(image, field), request);
        var lease = await _budget.AcquireAsync(pixels, cancellationToken).ConfigureAwait(false);
        try
        {
            var decoded = await _threads.RunAsync(() => Recorded(id, () => _decoder.Decode(data.Span, request, id), d => d.Info.Format), cancellationToken)
                .ConfigureAwait(false);
            decoded.Attach(lease);
            return decoded;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>The image's header (size, format, orientation), read without decoding any pixels.</summary>
    /// <exception cref="RpcException">INVALID_ARGUMENT naming the image and what was wrong.</exception>
    public ImageInfo ReadInfo(ProtoImage? image, string field)
    {
        var id = IdOf(image, field);
        var data = Data(image, field);
        return Recorded(id, () => _decoder.ReadInfo(data.Span, id), formatOf: null);
    }

    private static ReadOnlyMemory<byte> Data(ProtoImage? image, string field) =>
        image is null ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}: no image was given")) : image.Data.Memory;

    /// <summary>
    /// Runs a decoder step: its failure is counted in the decode metrics and becomes INVALID_ARGUMENT; a success is
    /// counted when <paramref name="formatOf"/> says which format was decoded (null: a header read, not a decode).
    /// </summary>
    private T Recorded<T>(string id, Func<T> step, Func<T, ImageFormat>? formatOf)
    {
        var start = Stopwatch.GetTimestamp();
        try
        {
            var result = step();
            if (formatOf is not null)
            {
                _metrics.RecordDecode(FormatLabel(formatOf(result)), Stopwatch.GetElapsedTime(start).TotalSeconds);
            }

            return result;
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
}
