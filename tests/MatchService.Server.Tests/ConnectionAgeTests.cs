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

        // Only a guard against a hang: every step below waits for an event, never for a length of time.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
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

        // A raw connection shows the frames: a reflection stream opened and answered ...
        await using var raw = await RawHttp2Connection.ConnectAsync(server.Address, ct);
        var rawConnected = Stopwatch.StartNew();
        var goAways = new List<(Http2Frame Frame, TimeSpan At)>();
        void Seen(Http2Frame f)
        {
            if (f.Type == Http2Frame.GoAway)
            {
                goAways.Add((f, rawConnected.Elapsed));
            }
        }

        await raw.StartGrpcCallAsync(1, ReflectionPath, ct);
        await raw.SendMessageAsync(1, new V1.ServerReflectionRequest { ListServices = "" }, endStream: false, ct);
        var listed = await NextAsync(raw, IsOnStream1, Seen, ct);
        Assert.Equal(Http2Frame.Data, listed.Type);

        // ... then GOAWAY once the connection has reached its age (on a slow machine it may come before the answer).
        if (goAways.Count == 0)
        {
            await NextAsync(raw, f => f.Type == Http2Frame.GoAway, Seen, ct);
        }

        // The stream in flight still works in both directions and ends with grpc-status 0; then the server closes.
        await raw.SendMessageAsync(1, new V1.ServerReflectionRequest { FileContainingSymbol = "grpc.health.v1.Health" }, endStream: true, ct);
        var described = await NextAsync(raw, IsOnStream1, Seen, ct);
        Assert.Equal(Http2Frame.Data, described.Type);
        var trailers = await NextAsync(raw, IsOnStream1, Seen, ct);
        Assert.Equal(Http2Frame.Headers, trailers.Type);
        Assert.True(trailers.EndStream);
        Assert.True(RawHttp2Connection.HasLiteral(trailers.Payload, "grpc-status", "0"), "the trailers do not say grpc-status 0");
        while (await raw.ReadFrameAsync(ct) is { } frame)
        {
            Assert.True(frame.Type == Http2Frame.GoAway, $"frame type {frame.Type} after the call");
            Seen(frame);
        }

        // Every GOAWAY says NO_ERROR (Kestrel's graceful close: a first one with last stream 2^31-1, then the final one),
        // the final one names our stream as processed, and the first came no earlier than the age of 1 s: a busy machine
        // can only make it later, so only that lower bound is checked.
        Assert.NotEmpty(goAways);
        Assert.All(goAways, g => Assert.Equal(0u, g.Frame.GoAwayFields.ErrorCode));
        Assert.True(goAways[^1].Frame.GoAwayFields.LastStreamId >= 1, $"GOAWAY's last stream id {goAways[^1].Frame.GoAwayFields.LastStreamId} drops the stream in flight");
        Assert.True(goAways[0].At >= TimeSpan.FromSeconds(0.95), $"the first GOAWAY came after {goAways[0].At.TotalSeconds:F2} s, before the age of 1 s");

        // Our client: calls succeed on its first connection until its GOAWAY arrives (its age, too, has passed by now,
        // give or take the jitter), then the next call opens a second connection; the call in flight across the GOAWAY
        // completes normally on the first.
        while (Volatile.Read(ref connects) == 1)
        {
            var status = await CheckAsync(channel, ct); // an OK call (SERVING once the models are warm)
            Assert.Contains(status, new[] { HealthCheckResponse.Types.ServingStatus.Serving, HealthCheckResponse.Types.ServingStatus.NotServing });
        }

        Assert.Equal(2, Volatile.Read(ref connects));
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

    private static bool IsOnStream1(Http2Frame f) => f.StreamId == 1 && f.Type is Http2Frame.Data or Http2Frame.Headers or Http2Frame.RstStream;

    /// <summary>
    /// The next frame matching <paramref name="wanted"/>, skipping connection housekeeping (WINDOW_UPDATE, SETTINGS ACK,
    /// response headers, GOAWAY); <paramref name="seen"/> is shown every frame read.
    /// </summary>
    private static async Task<Http2Frame> NextAsync(RawHttp2Connection raw, Func<Http2Frame, bool> wanted, Action<Http2Frame> seen, CancellationToken ct)
    {
        while (await raw.ReadFrameAsync(ct) is { } frame)
        {
            seen(frame);
            Assert.False(frame.Type == Http2Frame.RstStream, $"stream {frame.StreamId} was reset");
            if (wanted(frame) && !(frame.Type == Http2Frame.Headers && !frame.EndStream))
            {
                return frame;
            }
        }

        throw new InvalidOperationException("the server closed the connection");
    }
}
