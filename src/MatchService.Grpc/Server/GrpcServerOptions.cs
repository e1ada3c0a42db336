namespace MatchService.Grpc.Server;

/// <summary>Limits and behaviour of the gRPC server layer.</summary>
public sealed class GrpcServerOptions
{
    /// <summary>Largest request message accepted, in bytes (after decompression). Default 16 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest response message sent, in bytes. Default: unlimited (int.MaxValue).</summary>
    public int MaxSendMessageSize { get; set; } = int.MaxValue;

    /// <summary>
    /// Status for an exception a handler did not turn into an <see cref="RpcException"/>. INTERNAL by default;
    /// the message never carries the exception text or stack trace (they go to the log).
    /// </summary>
    public StatusCode UnhandledExceptionStatus { get; set; } = StatusCode.Internal;

    /// <summary>Services still served, and not counted as in-flight, while draining (health probes keep working).</summary>
    public ISet<string> DrainExemptServices { get; } = new HashSet<string>(StringComparer.Ordinal) { "grpc.health.v1.Health" };
}
