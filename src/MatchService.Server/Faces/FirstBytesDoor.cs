using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using MatchService.Contracts;
using MatchService.Inference.Batching;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>
/// The face chain's door asked when a face call's first bytes arrive instead of its whole message: a call whose first
/// bytes show images (<see cref="ImageCallPrefix"/>) and that the door would refuse is answered RESOURCE_EXHAUSTED,
/// with the door's pushback, before the rest of its photos has arrived.
/// </summary>
/// <remarks>
/// A handler sees a unary call only once its message is whole. When 200 callers start at once on 2 cores their
/// messages (two photos each) arrive over one to two seconds, and the refusals of that burst took as long though the
/// door decides in microseconds (tests/bench/overload.sh). A comparison that passes here is admitted here: its handler
/// takes the places reserved at its first bytes as its admission (<see cref="TakeReservation"/>). Checking it again
/// with the whole message would refuse, seconds later, calls that were admitted when they arrived, and without the
/// reservation every call of a burst would pass at its first bytes, when nothing is admitted yet.
/// A Verify stream's handler starts at once and admits its images one by one as they arrive, so a Verify call is only
/// refused here (its first image), never reserved. Bytes are read without being consumed; a call whose first bytes
/// show no image (precomputed vectors, a compressed message) goes on untouched. With
/// <see cref="FaceOptions.AdmitAtHeaders"/> (the default) the same decision is taken when the headers arrive, a comparison
/// counted as two images: refusals no longer wait for first bytes held back behind other uploads. A call whose headers
/// say it carries vectors only (<see cref="CallInputs"/>) is looked at when its first bytes arrive instead, so a
/// precomputed comparison is never refused for load.
/// </remarks>
internal sealed partial class FirstBytesDoor(RequestDelegate next, FaceFinder finder, IOptions<FaceOptions> options, ILogger<FirstBytesDoor> logger)
{
    private readonly bool _admitAtHeaders = options.Value.AdmitAtHeaders;

    /// <summary>Refuses the call now, or passes it on (a comparison with its reservation).</summary>
    public async Task InvokeAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var path = http.Request.Path.Value;
        var compare = path == ImageCallPrefix.ComparePath;
        if (!compare && path != ImageCallPrefix.VerifyPath)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var timeout = GrpcTimeoutHeader.Parse(http.Request.Headers[GrpcTimeoutHeader.Name]);
        if (_admitAtHeaders && finder.DoorIsOpen && !CarriesVectorsOnly(http))
        {
            // FaceOptions.AdmitAtHeaders: decided now, before any byte of the message, as the images such a call carries.
            await DecideAsync(http, path!, compare, compare ? 2 : 1, timeout).ConfigureAwait(false);
            return;
        }

        // A comparison is admitted here once the door is open (after the first face call); a Verify is looked at only
        // when the door would refuse an image now.
        var look = compare ? finder.DoorIsOpen : finder.RefusalAtDoor(1, timeout) is not null;
        var images = look ? await ImagesShownAsync(http, path!, timeout).ConfigureAwait(false) : 0;
        if (images == 0)
        {
            await next(http).ConfigureAwait(false);
            return;
        }

        await DecideAsync(http, path!, compare, images, timeout - Stopwatch.GetElapsedTime(start)).ConfigureAwait(false);
    }

    /// <summary>
    /// Admits a comparison's <paramref name="images"/> and passes it on with that reservation, which ends with the call,
    /// or refuses the call; a Verify is refused when its images would be, else passed on as it is.
    /// </summary>
    private async Task DecideAsync(HttpContext http, string path, bool compare, int images, TimeSpan? remaining)
    {
        PathAdmission.Ticket? reservation = null;
        DeadlineUnreachableException? refusal;
        try
        {
            reservation = compare ? finder.Admit(images, remaining) : null;
            refusal = compare ? null : finder.RefusalAtDoor(images, remaining);
        }
        catch (DeadlineUnreachableException refused)
        {
            refusal = refused;
        }

        if (refusal is not null)
        {
            await RefuseAsync(http, path, refusal).ConfigureAwait(false);
            return;
        }

        using (reservation)
        {
            if (reservation is not null)
            {
                http.Items[typeof(FirstBytesDoor)] = reservation;
            }

            await next(http).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The places the call's first bytes reserved, as the admission of its <paramref name="images"/> images, or null
    /// (no reservation, or one too small: it is ended and the handler admits the call itself).
    /// </summary>
    public static PathAdmission.Ticket? TakeReservation(ServerCallContext context, int images)
    {
        ArgumentNullException.ThrowIfNull(context);
        // grpc-dotnet's UserState is the HttpContext's Items.
        if (!context.UserState.Remove(typeof(FirstBytesDoor), out var held) || held is not PathAdmission.Ticket reservation)
        {
            return null;
        }

        if (reservation.Images >= images)
        {
            return reservation;
        }

        reservation.Dispose();
        return null;
    }

    private Task RefuseAsync(HttpContext http, string path, DeadlineUnreachableException refusal)
    {
        LogRefused(logger, path, refusal.Message);
        http.Response.Headers[RpcErrors.RetryPushbackTrailer] = refusal.RetryPushbackMs.ToString(CultureInfo.InvariantCulture);
        return GrpcTrailersOnly.WriteAsync(http, StatusCode.ResourceExhausted, refusal.Message);
    }

    /// <summary>The caller says the call carries precomputed vectors only (<see cref="CallInputs"/>): its first bytes decide.</summary>
    private static bool CarriesVectorsOnly(HttpContext http) =>
        string.Equals(http.Request.Headers[CallInputs.Header], CallInputs.Vectors, StringComparison.OrdinalIgnoreCase);

    /// <summary>Waits for the first bytes (no longer than the call's deadline) and reads them without consuming them.</summary>
    private static async Task<int> ImagesShownAsync(HttpContext http, string path, TimeSpan? timeout)
    {
        // As grpc-dotnet does before it reads: gRPC's message limit applies, not Kestrel's body size limit, which could
        // no longer be lifted once reading has started.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (timeout is { } limit)
        {
            wait.CancelAfter(limit > TimeSpan.Zero ? limit : TimeSpan.Zero);
        }

        var body = http.Request.BodyReader;
        try
        {
            var read = await body.ReadAtLeastAsync(ImageCallPrefix.Length, wait.Token).ConfigureAwait(false);
            var images = ImageCallPrefix.ImagesShown(path, read.Buffer);
            body.AdvanceTo(read.Buffer.Start);
            return images;
        }
        catch (OperationCanceledException)
        {
            return 0; // the deadline passed or the caller left: grpc-dotnet answers that as always
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Path}: refused at its first bytes: {Reason}")]
    private static partial void LogRefused(ILogger logger, string path, string reason);
}
