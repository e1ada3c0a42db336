using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using MatchService.Contracts.Client;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Cli.Connection;

/// <summary>One channel to the server with the two clients matchctl uses (MatchService and health).</summary>
public sealed class MatchConnection : IDisposable
{
    /// <summary>Opens a channel as the options say (address, token, TLS, compression, retries).</summary>
    public MatchConnection(MatchServiceClientOptions options)
    {
        Channel = MatchServiceChannel.Create(options);
        Match = MatchServiceChannel.CreateClient(Channel, options);
        Health = new Health.HealthClient(MatchServiceChannel.CallInvoker(Channel, options));
    }

    /// <summary>The channel (owns the connections).</summary>
    public GrpcChannel Channel { get; }

    /// <summary>match.v1.MatchService.</summary>
    public V1.MatchService.MatchServiceClient Match { get; }

    /// <summary>grpc.health.v1.Health.</summary>
    public Health.HealthClient Health { get; }

    /// <summary>Call options with a deadline <paramref name="timeout"/> from now.</summary>
    public static CallOptions Deadline(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow.Add(timeout), cancellationToken: cancellationToken);

    /// <inheritdoc />
    public void Dispose() => Channel.Dispose();
}
