using System.Globalization;
using System.Text;
using Grpc.Core;
using MatchService.Contracts;
using MatchService.Server.Faces;
using MatchService.Testing;
using Microsoft.Extensions.DependencyInjection;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Server.Tests;

/// <summary>
/// <c>Faces:AdmitAtHeaders</c>, on by default, on the real host: face calls are decided at the door when their headers
/// arrive, before any byte of their message, over a raw HTTP/2 connection that sends headers only; a call whose headers
/// say it carries vectors only (<c>match-inputs: vectors</c>) is decided at its first bytes instead.
/// </summary>
public sealed class AdmitAtHeadersTests : IAsyncLifetime
{
    private static readonly string ResourceExhausted = ((int)StatusCode.ResourceExhausted).ToString(CultureInfo.InvariantCulture);
    private RunningServer _server = null!;

    public async Task InitializeAsync() => _server = await FaceDoorCalls.StartWithOpenDoorAsync(); // the default

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private FaceFinder Finder => _server.App.Services.GetRequiredService<FaceFinder>();

    [Theory]
    [InlineData("CompareWithConfidence")]
    [InlineData("Verify")]
    public async Task ACallIsRefusedAtItsHeaders_BeforeAnyByteOfItsMessage(string method)
    {
        var path = method == "Verify" ? ImageCallPrefix.VerifyPath : ImageCallPrefix.ComparePath;
        using var backlog = FaceDoorCalls.Backlog(Finder);
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, path, CancellationToken.None, ("grpc-timeout", "100S"));

        var answer = await FaceDoorCalls.AnswerAsync(connection, 1);
        var text = Encoding.ASCII.GetString(answer.Payload);
        Assert.True(answer.EndStream, "the refusal is the whole answer (trailers-only)");
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", ResourceExhausted), text);
        Assert.Contains("grpc-retry-pushback-ms", text, StringComparison.Ordinal);
        Assert.Equal(FaceDoorCalls.Backlogged, Finder.Door.InFlight); // the refused call holds nothing
    }

    [Fact]
    public async Task AComparisonHoldsTwoPlacesFromItsHeaders_AndGivesThemBackWhenItsCallerLeaves()
    {
        var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await using (connection)
        {
            await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"));
            await Eventually.UntilAsync(() => Finder.Door.InFlight == 2, "the comparison's two images reserved at its headers");
        }

        await Eventually.UntilAsync(() => Finder.Door.InFlight == 0, "the places given back once the caller left");
    }

    [Fact]
    public async Task APrecomputedComparisonWithoutTheHeader_IsRefusedWithTheOthersWhileTheDoorIsFull_AndAnsweredOnceItIsNot()
    {
        // The documented price of deciding at the headers: nothing there tells a comparison of vectors from one of photos.
        // A plain generated client on the channel stands for grpcurl or another language's client, which add nothing.
        using var clients = _server.Connect();
        var plain = new V1.MatchService.MatchServiceClient(clients.Channel);
        using (FaceDoorCalls.Backlog(Finder))
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() =>
                plain.CompareWithConfidenceAsync(FaceDoorCalls.PrecomputedComparison(), deadline: DateTime.UtcNow.AddSeconds(100)).ResponseAsync);
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        }

        var answered = await plain.CompareWithConfidenceAsync(FaceDoorCalls.PrecomputedComparison(), deadline: DateTime.UtcNow.AddSeconds(100));
        Assert.NotNull(answered);
        Assert.Equal(0, Finder.Door.InFlight);
    }

    [Fact]
    public async Task APrecomputedComparisonThatSaysSo_IsAnsweredWhileTheDoorIsFull()
    {
        using var clients = _server.Connect();
        var plain = new V1.MatchService.MatchServiceClient(clients.Channel);
        using var backlog = FaceDoorCalls.Backlog(Finder);

        var answered = await plain.CompareWithConfidenceAsync(FaceDoorCalls.PrecomputedComparison(), VectorsOnly, DateTime.UtcNow.AddSeconds(100));

        Assert.NotNull(answered);
        Assert.Equal(FaceDoorCalls.Backlogged, Finder.Door.InFlight); // it took no place either
    }

    [Fact]
    public async Task TheLibrarysClientMarksAPrecomputedComparisonItself_SoItIsAnsweredWhileTheDoorIsFull()
    {
        using var clients = _server.Connect(); // MatchServiceChannel.CreateClient: no header from the caller
        using var backlog = FaceDoorCalls.Backlog(Finder);

        var answered = await clients.Match.CompareWithConfidenceAsync(FaceDoorCalls.PrecomputedComparison(), deadline: DateTime.UtcNow.AddSeconds(100));

        Assert.NotNull(answered);
        Assert.Equal(FaceDoorCalls.Backlogged, Finder.Door.InFlight);
        // The same client's comparison of photos is still decided at its headers.
        var refused = await Assert.ThrowsAsync<RpcException>(() =>
            clients.Match.CompareWithConfidenceAsync(FaceDoorCalls.ImageComparison(), deadline: DateTime.UtcNow.AddSeconds(100)).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
    }

    [Fact]
    public async Task ACallThatSaysVectorsButShowsAnImage_IsRefusedAtItsFirstBytes()
    {
        // The header moves the decision to the first bytes; it does not let photos past the door.
        using var backlog = FaceDoorCalls.Backlog(Finder);
        await using var connection = await RawHttp2Connection.ConnectAsync(_server.Address, CancellationToken.None);
        await connection.StartGrpcCallAsync(1, ImageCallPrefix.ComparePath, CancellationToken.None, ("grpc-timeout", "100S"), (CallInputs.Header, CallInputs.Vectors));
        await connection.SendDataAsync(1, RawHttp2Connection.Framed(FaceDoorCalls.ImageComparison())[..64], endStream: false, CancellationToken.None);

        var answer = await FaceDoorCalls.AnswerAsync(connection, 1);
        Assert.True(answer.EndStream, "the refusal is the whole answer (trailers-only)");
        Assert.True(RawHttp2Connection.HasLiteral(answer.Payload, "grpc-status", ResourceExhausted), Encoding.ASCII.GetString(answer.Payload));
        Assert.Equal(FaceDoorCalls.Backlogged, Finder.Door.InFlight);
    }

    private static Metadata VectorsOnly => new() { { CallInputs.Header, CallInputs.Vectors } };
}
