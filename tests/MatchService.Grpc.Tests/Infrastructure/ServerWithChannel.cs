using MatchService.Grpc.Client;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>Tests that talk to one <see cref="TestServer"/> through one channel, both fresh for every test.</summary>
public abstract class ServerWithChannel : IAsyncLifetime
{
    protected TestServer Server { get; private set; } = null!;

    protected GrpcChannel Channel { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestServer.StartAsync();
        Channel = Server.CreateChannel();
    }

    public async Task DisposeAsync()
    {
        Channel.Dispose();
        await Server.DisposeAsync();
    }
}
