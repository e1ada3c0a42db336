using MatchService.Server.Playground;

namespace MatchService.Server.Hosting;

/// <summary>
/// The server's settings, section <c>Match</c>: appsettings.json, then environment variables (<c>Match__Port=50052</c>),
/// then the command line (<c>--Match:Port=50052</c>). Checked by <see cref="MatchServerOptionsValidator"/> (and the
/// playground's part by <see cref="PlaygroundOptionsValidator"/>).
/// </summary>
public sealed class MatchServerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Match";

    /// <summary>IP address to listen on ("0.0.0.0" or "::" for all interfaces).</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>gRPC port (0 picks a free one).</summary>
    public int Port { get; set; } = 50051;

    /// <summary>Largest request message, in bytes.</summary>
    public int MaxReceiveMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest response message, in bytes.</summary>
    public int MaxSendMessageSize { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Compression of response messages when the client accepts it: <c>gzip</c>, or empty for none (the default:
    /// responses are mostly float vectors, which gzip shrinks little for its CPU). Compressed requests (gzip, deflate)
    /// are always accepted.
    /// </summary>
    public string? ResponseCompression { get; set; }

    /// <summary>Concurrent HTTP/2 streams (calls) per connection.</summary>
    public int MaxConcurrentStreamsPerConnection { get; set; } = 100;

    /// <summary>
    /// Connections older than this are closed gracefully (GOAWAY, calls in flight finish), so clients re-resolve and
    /// spread over new pods. Unset: never.
    /// </summary>
    public TimeSpan? MaxConnectionAge { get; set; }

    /// <summary>How long in-flight calls may run after SIGTERM before the process exits anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When set, every call except health needs <c>authorization: Bearer &lt;token&gt;</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>TLS settings; plaintext HTTP/2 (h2c) when no certificate is configured.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The Prometheus endpoint, on its own port.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>The developer page (<c>Match:Playground</c>), off by default.</summary>
    public PlaygroundOptions Playground { get; set; } = new();
}

/// <summary>Where <c>GET /metrics</c> is served (HTTP/1.1, apart from the gRPC port).</summary>
public sealed class MetricsOptions
{
    /// <summary>IP address of the metrics listener.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the metrics listener: 0 picks a free one, -1 turns it off.</summary>
    public int Port { get; set; } = 9464;
}

/// <summary>TLS and mutual TLS.</summary>
public sealed class TlsOptions
{
    /// <summary>Server certificate: a PEM file (with <see cref="KeyPath"/>) or a PKCS#12 (.pfx/.p12) file.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key of the certificate (PEM certificates only).</summary>
    public string? KeyPath { get; set; }

    /// <summary>Password of a PKCS#12 file.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM file of the CA(s) that sign client certificates; when set, clients must present one (mutual TLS).</summary>
    public string? ClientCaPath { get; set; }

    /// <summary>True when TLS is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(CertificatePath);
}
