namespace MatchService.Grpc;

/// <summary>Header names and values of the gRPC PROTOCOL-HTTP2 specification.</summary>
public static class GrpcProtocol
{
    /// <summary>The base content type; subtypes follow a '+' (application/grpc+proto).</summary>
    public const string ContentType = "application/grpc";
    /// <summary>The protobuf subtype spelled out.</summary>
    public const string ProtoContentType = "application/grpc+proto";
    /// <summary>Status code trailer.</summary>
    public const string StatusHeader = "grpc-status";
    /// <summary>Percent-encoded status message trailer.</summary>
    public const string MessageHeader = "grpc-message";
    /// <summary>Deadline header: up to 8 digits and a unit (H M S m u n).</summary>
    public const string TimeoutHeader = "grpc-timeout";
    /// <summary>Message compression of this side.</summary>
    public const string EncodingHeader = "grpc-encoding";
    /// <summary>Compressions this side accepts.</summary>
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    /// <summary>Trailer a server adds to RESOURCE_EXHAUSTED or UNAVAILABLE to ask the client to wait (milliseconds).</summary>
    public const string RetryPushbackHeader = "grpc-retry-pushback-ms";
    /// <summary>The encodings this implementation reads.</summary>
    public const string SupportedEncodings = "identity,gzip";

    /// <summary>True for application/grpc and application/grpc+proto (optionally with parameters).</summary>
    public static bool IsProtoContentType(string? contentType)
    {
        if (contentType is null)
        {
            return false;
        }
        if (contentType.Equals(ContentType, StringComparison.Ordinal))
        {
            return true; // what nearly every client sends, checked without case folding
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var type = (semicolon >= 0 ? contentType[..semicolon] : contentType).Trim();
        return type.Equals(ContentType, StringComparison.OrdinalIgnoreCase)
            || type.Equals(ProtoContentType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when the content type starts with application/grpc (any subtype).</summary>
    public static bool IsGrpcContentType(string? contentType) =>
        contentType is not null && contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase)
        && (contentType.Length == ContentType.Length || contentType[ContentType.Length] is '+' or ';');

    /// <summary>Headers that belong to the transport and never appear in <see cref="Metadata"/>.</summary>
    public static bool IsReservedHeader(string name) =>
        name.StartsWith(':')
        || name.Equals("content-type", StringComparison.OrdinalIgnoreCase)
        || name.Equals("te", StringComparison.OrdinalIgnoreCase)
        || name.Equals("host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("content-length", StringComparison.OrdinalIgnoreCase)
        || name.Equals(TimeoutHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(EncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(AcceptEncodingHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(StatusHeader, StringComparison.OrdinalIgnoreCase)
        || name.Equals(MessageHeader, StringComparison.OrdinalIgnoreCase);
}
