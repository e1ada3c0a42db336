using System.Text;
using Grpc.Core;
using MatchService.Server.Faces;
using MatchService.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.Server.Tests;

/// <summary>
/// The face chain's door at a call's first bytes, on the real host with the default models, over a raw HTTP/2
/// connection that sends a message's first bytes and holds back the rest, as a slow upload does. The door at the headers
/// (on by default) is turned off here, so every call is decided at its first bytes.
/// </summary>
public sealed class FirstBytesDoorTests : IAsyncLifetime
{
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await FaceDoorCalls.StartWithOpenDoorAsync("--Faces:AdmitAtHeaders=false");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FaceFinder Finder => _server.App.Services.GetRequiredService<FaceFinder>();

    [Fact]
    public async Task ACallWhoseFirstBytesShowAnImage_IsRefusedBeforeItsPhotoHasArrived_WithThePushback()
    {
        using var backlog = FaceDoorCalls.Backlog(Finder);
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
        await connection.SendDataAsync(1, RawHttp2Connection.Framed(FaceDoorCalls.ImageComparison())[..64], endStream: false, CancellationToken.None);

        var answer = await FaceDoorCalls.AnswerAsync(connection, 1);
        Assert.True(answer.EndStream, "the refusal is the whole answer (trailers-only)");
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", ((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Encoding.ASCII.GetString(answer.Payload));
        Assert.Contains("grpc-retry-pushback-ms", Encoding.ASCII.GetString(answer.Payload), StringComparison.Ordinal);
        Assert.Contains("refused at once", Encoding.ASCII.GetString(answer.Payload), StringComparison.Ordinal);
        Assert.Equal(FaceDoorCalls.Backlogged, Finder.Door.InFlight); // the refused call holds nothing
    }

    [Fact]
    public async Task ACallWhoseFirstBytesShowPrecomputedVectors_IsAnsweredWhateverTheDoorSays()
    {
        using var backlog = FaceDoorCalls.Backlog(Finder);
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
        await connection.SendMessageAsync(1, FaceDoorCalls.PrecomputedComparison(), endStream: true, CancellationToken.None);

        var answer = await FaceDoorCalls.AnswerAsync(connection, 1, final: true);
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", "0"), Encoding.ASCII.GetString(answer.Payload));
    }

    [Fact]
    public async Task AnAdmittedCall_HoldsItsPlacesFromItsFirstBytes_AndGivesThemBackWhenItsCallerLeaves()
    {
        var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await using (connection)
        {
            await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
            await connection.SendDataAsync(1, RawHttp2Connection.Framed(FaceDoorCalls.ImageComparison())[..64], endStream: false, CancellationToken.None);

            // Both images hold their places while the rest of the message has not arrived.
            await Eventually.UntilAsync(() => Finder.Door.InFlight == 2, "the comparison's two images reserved at its first bytes");
        }

        await Eventually.UntilAsync(() => Finder.Door.InFlight == 0, "the places given back once the caller left");

        // A comparison that completes takes its reservation as its admission and lets it out once.
        using var clients = _server.Connect();
        await clients.Match.CompareWithConfidenceAsync(FaceDoorCalls.ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
        Assert.Equal(0, Finder.Door.InFlight);
    }

    [Fact]
    public async Task AComparisonAdmittedAtItsFirstBytes_IsNotAdmittedAgainByItsHandler()
    {
        // One comparison at a time: its two images are inside the door from its first bytes to its answer. Were its
        // handler to admit them again beside the reservation, the door would count four.
        var most = 0;
        var seen = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var inside = Finder.Door.InFlight;
                most = Math.Max(most, inside);
                seen += inside == 2 ? 1 : 0;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        using var clients = _server.Connect();
        for (var i = 0; i < 3; i++)
        {
            await clients.Match.CompareWithConfidenceAsync(FaceDoorCalls.ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
        }

        await stop.CancelAsync();
        await watcher;
        Assert.True(seen > 0, "the watcher never saw the comparisons inside the door");
        Assert.Equal(2, most);
        Assert.Equal(0, Finder.Door.InFlight);
    }
}
