namespace MatchService.Contracts.Client;

/// <summary>
/// How a .NET caller reaches MatchService: the address, credentials, TLS, compression and retries. Bind it from
/// configuration (section <see cref="SectionName"/>) or set it in code; <see cref="MatchServiceChannel"/> and
/// <see cref="MatchServiceClientRegistration.AddMatchServiceClient"/> turn it into a channel.
/// </summary>
public sealed class MatchServiceClientOptions
{
    /// <summary>The conventional configuration section.</summary>
    public const string SectionName = "MatchService";

    /// <summary>
    /// <c>http://host:port</c> (h2c), <c>https://host:port</c> (TLS), or <c>dns:///host:port</c>: every address the
    /// name resolves to, calls spread round-robin (a headless Kubernetes Service); plaintext unless
    /// <see cref="UseTls"/>.
    /// </summary>
    public string Address { get; set; } = "http://127.0.0.1:50051";

    /// <summary>Sent as <c>authorization: Bearer &lt;token&gt;</c> on every call (call credentials); null sends none.</summary>
    public string? BearerToken { get; set; }

    /// <summary>TLS for <c>dns:///</c> addresses (<c>https://</c> always uses TLS, <c>http://</c> never).</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM bundle of the CA that signed the server's certificate, when it is not in the system's trust store.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>PEM client certificate for mutual TLS (with <see cref="ClientKeyPath"/>).</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>PEM private key of <see cref="ClientCertificatePath"/>.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>gzip-compress request messages (worth it for precomputed vectors on slow links; images barely shrink).</summary>
    public bool CompressRequests { get; set; }

    /// <summary>
    /// Attempts per call, the first included, for RESOURCE_EXHAUSTED (a model queue is full) and UNAVAILABLE (a pod
    /// drains or restarts); retries wait for the server's <c>grpc-retry-pushback-ms</c> when it sends one, else an
    /// exponential backoff. 1 turns retries off (load generators that count refusals want that).
    /// </summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>Largest request message, in bytes (the server's <c>Match:MaxReceiveMessageSize</c>, 16 MiB by default).</summary>
    public int MaxSendMessageSize { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest response message, in bytes (the server's <c>Match:MaxSendMessageSize</c>, 64 MiB by default).</summary>
    public int MaxReceiveMessageSize { get; set; } = 64 * 1024 * 1024;
}
