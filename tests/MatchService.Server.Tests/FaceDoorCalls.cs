using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.Server.Faces;
using MatchService.Server.Models;
using MatchService.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.Server.Tests;

/// <summary>What the tests of the face chain's door share: a server whose door is open, the calls, a full door.</summary>
internal static class FaceDoorCalls
{
    /// <summary>Images admitted at the door and never let out while the backlog lives: no call can be admitted beside them.</summary>
    public const int Backlogged = 1_000_000;

    private static readonly string Calibration = Path.Combine(RepoPaths.Models, "face_recognition", "calibration.json");

    /// <summary>
    /// The real host with the default models and <paramref name="settings"/>, after three comparisons one after the
    /// other: the door is open and has measured its rate from six exits.
    /// </summary>
    public static async Task<RunningServer> StartWithOpenDoorAsync(params string[] settings)
    {
        var server = await RunningServer.StartAsync([$"--Faces:CalibrationPath={Calibration}", .. settings]);
        await server.WaitServingAsync();
        using var clients = server.Connect();
        for (var i = 0; i < 3; i++)
        {
            await clients.Match.CompareWithConfidenceAsync(ImageComparison(), deadline: DateTime.UtcNow.AddMinutes(2));
        }

        Assert.NotNull(server.App.Services.GetRequiredService<FaceFinder>().Door.SecondsPerImage);
        return server;
    }

    /// <summary>Fills the door with <see cref="Backlogged"/> images until the ticket is disposed.</summary>
    public static PathAdmission.Ticket Backlog(FaceFinder finder)
    {
        var ticket = finder.Door.Admit(TimeSpan.FromDays(1000), Backlogged);
        // Whatever the machine's speed, an image more cannot finish within a 100 s deadline.
        Assert.NotNull(finder.RefusalAtDoor(1, TimeSpan.FromSeconds(100)));
        return ticket;
    }

    /// <summary>The stream's next HEADERS frame (the final one, carrying the status, when <paramref name="final"/>).</summary>
    public static async Task<Http2Frame> AnswerAsync(RawHttp2Connection connection, int streamId, bool final = false)
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

    public static CompareRequest ImageComparison() => new()
    {
        First = new CompareInput { Image = Photo("sample1.jpg") },
        Second = new CompareInput { Image = Photo("sample2.jpg") },
    };

    public static CompareRequest PrecomputedComparison()
    {
        var side = new FeatureWithConfidence { Model = new ModelRef { Name = "face_recognition", Version = "1" } };
        side.Feature.AddRange(Enumerable.Repeat(0.1f, 128));
        side.Confidence.AddRange(Enumerable.Repeat(1f, 128));
        return new CompareRequest { First = new CompareInput { Precomputed = side }, Second = new CompareInput { Precomputed = side.Clone() } };
    }

    private static Image Photo(string name) =>
        new() { Id = name, Data = ByteString.CopyFrom(File.ReadAllBytes(Path.Combine(RepoPaths.FaceApiDemo, name))) };
}
