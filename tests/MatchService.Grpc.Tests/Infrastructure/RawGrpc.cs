using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>Hand-made HTTP/2 requests, for input our own client would never send.</summary>
public static class RawGrpc
{
    public sealed record Result(HttpStatusCode HttpStatus, string? Status, string? Message, bool TrailersOnly,
        byte[] Body, HttpResponseMessage Response);

    public static byte[] Frame(IMessage message, byte flag = 0) => Frame(message.ToByteArray(), flag);

    public static byte[] Frame(byte[] payload, byte flag = 0)
    {
        var bytes = new byte[5 + payload.Length];
        bytes[0] = flag;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(bytes, 5);
        return bytes;
    }

    public static async Task<Result> SendAsync(Uri address, string path, byte[] body, string contentType = "application/grpc",
        IEnumerable<(string Name, string Value)>? headers = null, HttpMethod? method = null)
    {
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var request = new HttpRequestMessage(method ?? HttpMethod.Post, new Uri(address, path))
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.TryAddWithoutValidation("content-type", contentType);
        request.Headers.TryAddWithoutValidation("te", "trailers");
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var trailersOnly = response.Headers.Contains("grpc-status");
        var source = trailersOnly ? (System.Net.Http.Headers.HttpHeaders)response.Headers : response.TrailingHeaders;
        string? Get(string name) => source.TryGetValues(name, out var v) ? v.First() : null;
        return new Result(response.StatusCode, Get("grpc-status"), Get("grpc-message") is { } m ? GrpcMessageText.Decode(m) : null,
            trailersOnly, bytes, response);
    }
}
