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
}
