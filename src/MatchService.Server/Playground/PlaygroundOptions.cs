namespace MatchService.Server.Playground;

/// <summary>
/// Section <c>Match:Playground</c> (<see cref="Hosting.MatchServerOptions.Playground"/>): a developer page served by the service itself (off by default). A browser cannot
/// speak gRPC over the HTTP/2-only port, so the page has its own HTTP/1.1 listener, and its small API calls the real
/// RPCs through a gRPC channel to the service's own port.
/// </summary>
public sealed class PlaygroundOptions
{
    /// <summary>Serve the page (default false: never in production).</summary>
    public bool Enabled { get; set; }

    /// <summary>IP of the page's HTTP/1.1 listener.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Port of the page (0 = any free port).</summary>
    public int Port { get; set; } = 8090;
}
