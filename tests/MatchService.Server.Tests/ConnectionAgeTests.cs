using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Health.V1;
using Grpc.Core;
using Grpc.Net.Client;
using V1 = Grpc.Reflection.V1;

namespace MatchService.Server.Tests;

/// <summary>
/// <c>Match:MaxConnectionAge</c>: once a connection is older than the age (+ up to 10 % jitter) the server sends
/// GOAWAY, lets the calls in flight finish, then closes it; clients carry on over a new connection.
/// </summary>
public sealed class ConnectionAgeTests
{
    private const string ReflectionPath = "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo";

    [Fact]
    public async Task An_old_connection_gets_GOAWAY_its_call_in_flight_finishes_and_new_calls_use_a_new_connection()
    {
        await using var server = await RunningServer.StartAsync("--Match:MaxConnectionAge=00:00:01");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;

        // Our client, counting the connections its handler opens, with a reflection stream kept open across the age.
        var connects = 0;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, token) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(context.DnsEndPoint, token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = handler });
        using var inFlight = new V1.ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" }, ct);
        Assert.True(await inFlight.ResponseStream.MoveNext(ct));
        var clientConnected = Stopwatch.StartNew();

        // A raw connection shows the frames: a reflection stream opened and answered before the age passes ...
        await using var raw = await RawHttp2Connection.ConnectAsync(server.Address, ct);
        var rawConnected = Stopwatch.StartNew();
        await raw.StartGrpcCallAsync(1, ReflectionPath, ct);
        await raw.SendMessageAsync(1, new V1.ServerReflectionRequest { ListServices = "" }, endStream: false, ct);
        var listed = await NextOnStreamAsync(raw, 1, ct);
        Assert.Equal(Http2Frame.Data, listed.Type);

        // ... then GOAWAY (NO_ERROR) once the connection is a second old, naming our stream as processed.
        var goAway = await NextAsync(raw, f => f.Type == Http2Frame.GoAway, ct);
        var goAwayAfter = rawConnected.Elapsed;
        Assert.True(goAwayAfter >= TimeSpan.FromSeconds(0.95), $"GOAWAY came after {goAwayAfter.TotalSeconds:F2} s, before the age of 1 s");
        Assert.True(goAwayAfter < TimeSpan.FromSeconds(1.1 + 2), $"GOAWAY came after {goAwayAfter.TotalSeconds:F2} s (age 1 s + at most 10 % jitter; 2 s allowed for a busy machine)");
        Assert.Equal(0u, goAway.GoAwayFields.ErrorCode);
        Assert.True(goAway.GoAwayFields.LastStreamId >= 1, $"GOAWAY's last stream id {goAway.GoAwayFields.LastStreamId} drops the stream in flight");

        // The stream in flight still works in both directions and ends with grpc-status 0; then the server closes.
        await raw.SendMessageAsync(1, new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" }, endStream: true, ct);
        var described = await NextOnStreamAsync(raw, 1, ct);
        Assert.Equal(Http2Frame.Data, described.Type);
        var trailers = await NextOnStreamAsync(raw, 1, ct);
        Assert.Equal(Http2Frame.Headers, trailers.Type);
        Assert.True(trailers.EndStream);
        Assert.True(RawHttp2Connection.HasLiteral(trailers.Payload, "grpc-status", "0"), "the trailers do not say grpc-status 0");
        var closing = new List<Http2Frame>();
        while (await raw.ReadFrameAsync(ct) is { } frame)
        {
            closing.Add(frame);
        }

        Assert.All(closing, f => Assert.True(f.Type == Http2Frame.GoAway && f.GoAwayFields.ErrorCode == 0, $"frame type {f.Type} after the call"));

        // Our client: its call in flight across the GOAWAY completes normally, and a new call succeeds on a new connection.
        var wait = TimeSpan.FromSeconds(1.3) - clientConnected.Elapsed;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, ct);
        }

        Assert.Equal(1, connects);
        var status = await CheckAsync(channel, ct); // an OK call (SERVING once the models are warm)
        Assert.Contains(status, new[] { HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.NotServing });
        Assert.Equal(2, connects);
        await inFlight.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" }, ct);
        Assert.True(await inFlight.ResponseStream.MoveNext(ct));
        Assert.Equal(V1.ServerReflectionResponse.MessageResponseOneofCase.FileDescriptorResponse, inFlight.ResponseStream.Current.MessageResponseCase);
        await inFlight.RequestStream.CompleteAsync();
        Assert.False(await inFlight.ResponseStream.MoveNext(ct));
        Assert.Equal(StatusCode.OK, inFlight.GetStatus().StatusCode);
    }

    [Fact]
    public void An_age_beyond_what_a_timer_can_hold_is_refused_at_start()
    {
        // 60 days + jitter would throw in every accepted connection's timer instead of stopping the start.
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            Hosting.MatchServerHost.Build(["--Match:MaxConnectionAge=60.00:00:00"]));
        Assert.Contains(ex.Failures, f => f.StartsWith("Match:MaxConnectionAge 60.00:00:00 must be positive and at most 40.00:00:00", StringComparison.Ordinal));
    }

    private static async Task<HealthCheckResponse.Types.ServingStatus> CheckAsync(GrpcChannel channel, CancellationToken ct)
    {
        return (await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: ct)).Status;
    }

    private static Task<Http2Frame> NextOnStreamAsync(RawHttp2Connection raw, int streamId, CancellationToken ct) =>
        NextAsync(raw, f => f.StreamId == streamId && f.Type is Http2Frame.Data or Http2Frame.Headers or Http2Frame.RstStream, ct);

    /// <summary>The next frame matching <paramref name="wanted"/>, skipping connection housekeeping (WINDOW_UPDATE, SETTINGS ACK, response headers).</summary>
    private static async Task<Http2Frame> NextAsync(RawHttp2Connection raw, Func<Http2Frame, bool> wanted, CancellationToken ct)
    {
        while (await raw.ReadFrameAsync(ct) is { } frame)
        {
            Assert.False(frame.Type == Http2Frame.RstStream, $"stream {frame.StreamId} was reset");
            if (wanted(frame) && !(frame.Type == Http2Frame.Headers && !frame.EndStream))
            {
                return frame;
            }
        }

        throw new InvalidOperationException("the server closed the connection");
    }
}
