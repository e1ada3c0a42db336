using MatchService.Grpc.Client;
using MatchService.Grpc.Tests.Echo;
using MatchService.Grpc.Tests.Infrastructure;

namespace MatchService.Grpc.Tests;

/// <summary>The four call kinds, statuses, deadlines and cancellation through a real server and our client.</summary>
public sealed class GrpcCallTests : ServerWithChannel
{
    [Fact]
    public async Task Unary_echoes_text_headers_and_peer()
    {
        var headers = new Metadata().Add("x-test", "hello-header");
        var reply = await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Text = "ping" }, new CallOptions(Headers: headers));
        Assert.Equal("ping", reply.Text);
        Assert.Equal("hello-header", reply.Header);
        Assert.StartsWith("ipv4:127.0.0.1:", reply.Peer, StringComparison.Ordinal);
        Assert.Equal(-1, reply.DeadlineSeconds);
    }

    [Fact]
    public async Task Client_streaming_collects_every_message_in_order()
    {
        using var call = Channel.AsyncClientStreamingCall(EchoMethods.Collect);
        foreach (var text in new[] { "a", "b", "c", "d" })
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = text });
        }
        await call.RequestStream.CompleteAsync();
        var reply = await call.ResponseAsync;
        Assert.Equal("a,b,c,d", reply.Text);
        Assert.Equal(4, reply.Count);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Server_streaming_sends_each_reply()
    {
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.Expand, new EchoRequest { Text = "x", Repeat = 5 });
        var indexes = new List<int>();
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            indexes.Add(reply.Index);
        }
        Assert.Equal([0, 1, 2, 3, 4], indexes);
    }

    [Fact]
    public async Task Duplex_streaming_answers_each_message_before_the_next_is_sent()
    {
        using var call = Channel.AsyncDuplexStreamingCall(EchoMethods.Chat);
        for (var i = 0; i < 5; i++)
        {
            await call.RequestStream.WriteAsync(new EchoRequest { Text = $"m{i}" });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal($"m{i}", call.ResponseStream.Current.Text);
            Assert.Equal(i, call.ResponseStream.Current.Index);
        }
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Fact]
    public async Task Handler_status_message_and_trailers_reach_the_client()
    {
        const string message = "café 100% bad\nline";
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { FailCode = (int)StatusCode.ResourceExhausted, FailMessage = message }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        Assert.Equal("present", ex.Trailers.GetValue("x-fail-trailer"));
        Assert.Equal("250", ex.Trailers.GetValue("grpc-retry-pushback-ms"));
    }

    [Fact]
    public async Task Status_after_streamed_messages_arrives_in_trailers()
    {
        using var call = Channel.AsyncServerStreamingCall(EchoMethods.Expand,
            new EchoRequest { Repeat = 2, FailCode = (int)StatusCode.Aborted, FailMessage = "stopped after two" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.True(await call.ResponseStream.MoveNext());
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Aborted, ex.StatusCode);
        Assert.Equal("stopped after two", ex.Status.Detail);
    }

    [Fact]
    public async Task Deadline_expiry_gives_DEADLINE_EXCEEDED_and_cancels_the_handler()
    {
        var probe = Server.Echo.Probe("slow-deadline");
        var started = DateTime.UtcNow;
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Channel.AsyncUnaryCall(EchoMethods.Unary,
            new EchoRequest { Text = "slow-deadline", DelayMs = 30_000 }, CallOptions.WithTimeout(TimeSpan.FromMilliseconds(1500))));
        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
        Assert.Equal("cancelled", await probe.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Handler_sees_the_deadline_the_client_set()
    {
        var reply = await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Text = "d" }, CallOptions.WithTimeout(TimeSpan.FromSeconds(30)));
        Assert.InRange(reply.DeadlineSeconds, 20, 30.5);
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_handler()
    {
        var probe = Server.Echo.Probe("slow-cancel");
        using var cts = new CancellationTokenSource();
        var call = Channel.AsyncUnaryCall(EchoMethods.Unary,
            new EchoRequest { Text = "slow-cancel", DelayMs = 30_000 }, new CallOptions(CancellationToken: cts.Token));
        await Server.Echo.Probe("slow-cancel:started").Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await probe.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Cancelling_a_duplex_call_reaches_the_handler()
    {
        var probe = Server.Echo.Probe("duplex-cancel");
        using var cts = new CancellationTokenSource();
        using var call = Channel.AsyncDuplexStreamingCall(EchoMethods.Chat, new CallOptions(CancellationToken: cts.Token));
        await call.RequestStream.WriteAsync(new EchoRequest { Text = "duplex-cancel", DelayMs = 30_000 });
        await Server.Echo.Probe("duplex-cancel:started").Task.WaitAsync(TimeSpan.FromSeconds(10));
        cts.Cancel();
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.Cancelled, ex.StatusCode);
        Assert.Equal("cancelled", await probe.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Handler_exception_becomes_INTERNAL_without_details()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { ThrowException = true }));
        Assert.Equal(StatusCode.Internal, ex.StatusCode);
        Assert.DoesNotContain("secret", ex.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("see the server log", ex.Status.Detail, StringComparison.Ordinal);
        Assert.True(Server.Logs.Contains(Microsoft.Extensions.Logging.LogLevel.Error, "test.echo.v1.Echo/Unary"));
    }

    [Fact]
    public async Task Unknown_method_and_unknown_service_are_UNIMPLEMENTED()
    {
        var unknownMethod = await RawGrpc.SendAsync(Server.Address, "/test.echo.v1.Echo/Nope", RawGrpc.Frame(new EchoRequest()));
        Assert.Equal("12", unknownMethod.Status);
        Assert.Contains("'Nope' is not defined in service test.echo.v1.Echo", unknownMethod.Message, StringComparison.Ordinal);
        var unknownService = await RawGrpc.SendAsync(Server.Address, "/no.such.Service/Call", RawGrpc.Frame(new EchoRequest()));
        Assert.Equal("12", unknownService.Status);
        Assert.Contains("'no.such.Service' is not served here", unknownService.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_concurrent_streams_share_one_connection()
    {
        using var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = false };
        using var channel = Server.CreateChannel(new GrpcChannelOptions { HttpHandler = handler });
        var unary = Enumerable.Range(0, 150).Select(async i =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Text = $"u{i}", DelayMs = 100 }));
        var duplex = Enumerable.Range(0, 20).Select(async i =>
        {
            using var call = channel.AsyncDuplexStreamingCall(EchoMethods.Chat);
            var texts = new List<string>();
            for (var j = 0; j < 3; j++)
            {
                await call.RequestStream.WriteAsync(new EchoRequest { Text = $"d{i}.{j}" });
                Assert.True(await call.ResponseStream.MoveNext());
                texts.Add(call.ResponseStream.Current.Text);
            }
            await call.RequestStream.CompleteAsync();
            Assert.False(await call.ResponseStream.MoveNext());
            return texts;
        });
        var replies = await Task.WhenAll(unary);
        var chats = await Task.WhenAll(duplex);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => $"u{i}"), replies.Select(r => r.Text));
        Assert.Single(replies.Select(r => r.Peer).Distinct());
        Assert.All(chats.Select((t, i) => (t, i)), x => Assert.Equal([$"d{x.i}.0", $"d{x.i}.1", $"d{x.i}.2"], x.t));
    }
}
