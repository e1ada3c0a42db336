using System.Text;
using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.Server.Faces;
using MatchService.Server.Models;
using MatchService.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.Server.Tests;

/// <summary>
/// The face chain's door at a call's first bytes, on the real host with the default models, over a raw HTTP/2
/// connection that sends a message's first bytes and holds back the rest, as a slow upload does.
/// </summary>
public sealed class FirstBytesDoorTests : IAsyncLifetime
{
    private static readonly string Calibration = Path.Combine(RepoPaths.Models, "face_recognition", "calibration.json");
    private RunningServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await RunningServer.StartAsync($"--Faces:CalibrationPath={Calibration}");
        await _server.WaitServingAsync();

        // Three comparisons one after the other: the door opens and measures its rate from six exits.
        using var clients = _server.Connect();
        for (var i = 0; i < 3; i++)
        {
            await clients.Match.CompareWithConfidenceAsync(ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
        }
        Assert.NotNull(Finder.Door.SecondsPerImage);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FaceFinder Finder => _server.App.Services.GetRequiredService<FaceFinder>();

    [Fact]
    public async Task ACallWhoseFirstBytesShowAnImage_IsRefusedBeforeItsPhotoHasArrived_WithThePushback()
    {
        using var backlog = Backlog();
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
        await connection.SendDataAsync(1, RawHttp2Connection.Framed(ImageComparison())[..64], endStream: false, CancellationToken.None);

        var answer = await AnswerAsync(connection, 1);
        Assert.True(answer.EndStream, "the refusal is the whole answer (trailers-only)");
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", ((int)StatusCode.ResourceExhausted).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Encoding.ASCII.GetString(answer.Payload));
        Assert.Contains("grpc-retry-pushback-ms", Encoding.ASCII.GetString(answer.Payload), StringComparison.Ordinal);
        Assert.Contains("refused at once", Encoding.ASCII.GetString(answer.Payload), StringComparison.Ordinal);
        Assert.Equal(Backlogged, Finder.Door.InFlight); // the refused call holds nothing
    }

    [Fact]
    public async Task ACallWhoseFirstBytesShowPrecomputedVectors_IsAnsweredWhateverTheDoorSays()
    {
        using var backlog = Backlog();
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
        await connection.SendMessageAsync(1, PrecomputedComparison(), endStream: true, CancellationToken.None);

        var answer = await AnswerAsync(connection, 1, final: true);
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", "0"), Encoding.ASCII.GetString(answer.Payload));
    }

    [Fact]
    public async Task AnAdmittedCall_HoldsItsPlacesFromItsFirstBytes_AndGivesThemBackWhenItsCallerLeaves()
    {
        var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await using (connection)
        {
            await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
            await connection.SendDataAsync(1, RawHttp2Connection.Framed(ImageComparison())[..64], endStream: false, CancellationToken.None);

            // Both images hold their places while the rest of the message has not arrived.
            await Eventually.UntilAsync(() => Finder.Door.InFlight == 2, "the comparison's two images reserved at its first bytes");
        }

        await Eventually.UntilAsync(() => Finder.Door.InFlight == 0, "the places given back once the caller left");

        // A comparison that completes takes its reservation as its admission and lets it out once.
        using var clients = _server.Connect();
        await clients.Match.CompareWithConfidenceAsync(ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
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
            await clients.Match.CompareWithConfidenceAsync(ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
        }

        await stop.CancelAsync();
        await watcher;
        Assert.True(seen > 0, "the watcher never saw the comparisons inside the door");
        Assert.Equal(2, most);
        Assert.Equal(0, Finder.Door.InFlight);
    }

    /// <summary>Images admitted at the door and never let out while the result lives: no call can be admitted beside them.</summary>
    private const int Backlogged = 1_000_000;

    private PathAdmission.Ticket Backlog()
    {
        var ticket = Finder.Door.Admit(TimeSpan.FromDays(1000), Backlogged);
        // Whatever the machine's speed, an image more cannot finish within a 100 s deadline.
        Assert.NotNull(Finder.RefusalAtDoor(1, TimeSpan.FromSeconds(100)));
        return ticket;
    }

    /// <summary>The stream's next HEADERS frame (the final one, carrying the status, when <paramref name="final"/>).</summary>
    private static async Task<Http2Frame> AnswerAsync(RawHttp2Connection connection, int streamId, bool final = false)
    {
        while (await connection.ReadFrameAsync(CancellationToken.None) is { } frame)
        {
            if (frame.Type == Http2Frame.Headers && frame.StreamId == streamId && (!final || frame.EndStream))
            {
                return frame;
            }
        }

        throw new InvalidOperationException("the server closed the connection without answering");
    }

    private static CompareRequest ImageComparison() => new()
    {
        First = new CompareInput { Image = Photo("sample1.jpg") },
        Second = new CompareInput { Image = Photo("sample2.jpg") },
    };

    private static CompareRequest PrecomputedComparison()
    {
        var side = new FeatureWithConfidence { Model = new ModelRef { Name = "face_recognition", Version = "1" } };
        side.Feature.AddRange(Enumerable.Repeat(0.1f, 128));
        side.Confidence.AddRange(Enumerable.Repeat(1f, 128));
        return new CompareRequest { First = new CompareInput { Precomputed = side }, Second = new CompareInput { Precomputed = side.Clone() } };
    }

    private static Image Photo(string name) =>
        new() { Id = name, Data = ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(RepoPaths.FaceApiDemo, name))) };
}
