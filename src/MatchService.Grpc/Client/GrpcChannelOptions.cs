namespace MatchService.Grpc.Client;

/// <summary>Options of a <see cref="GrpcChannel"/>.</summary>
public sealed class GrpcChannelOptions
{
    /// <summary>Largest response message accepted, in bytes. Default 16 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest request message sent, in bytes. Default 16 MiB (the server's default receive limit).</summary>
    public int MaxSendMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// The handler to send with (e.g. a <see cref="System.Net.Http.SocketsHttpHandler"/> with client certificates);
    /// null creates a SocketsHttpHandler. The channel does not dispose a handler it was given.
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>Headers added to every call (e.g. <c>authorization: Bearer ...</c>).</summary>
    public Metadata? DefaultHeaders { get; set; }

    /// <summary>
    /// Compression of request messages: <see cref="RequestCompression.None"/> (default) or
    /// <see cref="RequestCompression.Gzip"/>, which sends <c>grpc-encoding: gzip</c> and every request message
    /// gzip-compressed with the compressed flag set, for all four call kinds. Worth it for large, compressible
    /// messages over slow links; encoded images (JPEG, PNG, WebP) barely shrink.
    /// </summary>
    public RequestCompression RequestCompression { get; set; } = RequestCompression.None;
}

/// <summary>How a client compresses the messages it sends.</summary>
public enum RequestCompression
{
    /// <summary>Uncompressed (no <c>grpc-encoding</c> header).</summary>
    None,

    /// <summary>gzip (<c>grpc-encoding: gzip</c>, compressed flag set on every message).</summary>
    Gzip,
}
