namespace MatchService.Grpc;

/// <summary>
/// Ends a call with a chosen status. Thrown by handlers to answer with that status (and optional trailers such as
/// <c>grpc-retry-pushback-ms</c>), and by the client when a call ends with a status other than OK.
/// </summary>
public class RpcException : Exception
{
    /// <summary>Creates the exception for a status, with optional trailers.</summary>
    public RpcException(Status status, Metadata? trailers = null)
        : base(status.ToString())
    {
        Status = status;
        Trailers = trailers ?? new Metadata();
    }

    /// <summary>Creates the exception for a code and message.</summary>
    public RpcException(StatusCode code, string detail, Metadata? trailers = null)
        : this(new Status(code, detail), trailers)
    {
    }

    /// <summary>The status of the call.</summary>
    public Status Status { get; }

    /// <summary>The status code.</summary>
    public StatusCode StatusCode => Status.StatusCode;

    /// <summary>Trailers sent (server) or received (client) with the status.</summary>
    public Metadata Trailers { get; }
}
