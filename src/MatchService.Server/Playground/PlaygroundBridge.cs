using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Server.Playground;

/// <summary>
/// The playground page's API: turns an upload of photos into the real Verify call (client streaming, which a browser
/// cannot make: neither gRPC-Web nor JSON transcoding carries a client stream) through a gRPC channel to this
/// service's own port, and answers the response as protobuf JSON, or the call's status and message.
/// </summary>
internal sealed class PlaygroundBridge(IServer server) : IDisposable
{
    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private readonly Lock _gate = new();
    private GrpcChannel? _channel;

    /// <summary>POST /playground/api/verify: multipart form, field <c>photos</c> (two or more), optional <c>ignoreFaceless</c>.</summary>
    public async Task VerifyAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (!http.Request.HasFormContentType)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidArgument", "send the photos as multipart/form-data").ConfigureAwait(false);
            return;
        }

        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        var photos = form.Files.GetFiles("photos");
        if (photos.Count < 2)
        {
            await ErrorAsync(http, StatusCodes.Status400BadRequest, "InvalidArgument", $"upload two or more photos (got {photos.Count})").ConfigureAwait(false);
            return;
        }

        var client = new V1.MatchService.MatchServiceClient(Channel(http.Connection.LocalPort));
        try
        {
            using var call = client.Verify(deadline: DateTime.UtcNow.AddMinutes(2), cancellationToken: http.RequestAborted);
            for (var i = 0; i < photos.Count; i++)
            {
                await using var stream = photos[i].OpenReadStream();
                var image = new V1.Image { Id = photos[i].FileName, Data = await ByteString.FromStreamAsync(stream, http.RequestAborted).ConfigureAwait(false) };
                var message = new V1.VerifyRequest { Images = { new V1.VerifyImage { Image = image } } };
                if (i == 0)
                {
                    message.Options = new V1.VerifyOptions { IgnoreFacelessImages = form["ignoreFaceless"] == "on" };
                }

                await call.RequestStream.WriteAsync(message, http.RequestAborted).ConfigureAwait(false);
            }

            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            var response = await call.ResponseAsync.ConfigureAwait(false);
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync(Json.Format(response), http.RequestAborted).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            var status = e.StatusCode is StatusCode.InvalidArgument or StatusCode.FailedPrecondition ? StatusCodes.Status400BadRequest : StatusCodes.Status502BadGateway;
            await ErrorAsync(http, status, e.StatusCode.ToString(), e.Status.Detail).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channel?.Dispose();

    // The gRPC listener is every address of the server but the page's own (both are plain http://).
    private GrpcChannel Channel(int pagePort)
    {
        lock (_gate)
        {
            if (_channel is null)
            {
                var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var grpc = addresses.Select(a => new Uri(a)).First(a => a.Port != pagePort);
                _channel = GrpcChannel.ForAddress(grpc);
            }

            return _channel;
        }
    }

    private static Task ErrorAsync(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { status = code, message }, http.RequestAborted);
    }
}
