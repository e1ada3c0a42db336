using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using MatchService.Grpc.Client;
using MatchService.Grpc.Tests.Echo;
using MatchService.Grpc.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MatchService.Grpc.Tests;

/// <summary>Bad and unusual input sent by hand: a precise status or HTTP error, a debug log line, and the server keeps serving.</summary>
public sealed class ProtocolTests : IAsyncLifetime
{
    private const string Unary = "/test.echo.v1.Echo/Unary";
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(o => o.MaxReceiveMessageSize = 4096);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private async Task AssertStillServingAsync()
    {
        using var channel = _server.CreateChannel();
        var reply = await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Text = "alive" });
        Assert.Equal("alive", reply.Text);
    }

    [Fact]
    public async Task Valid_raw_request_gets_headers_message_and_trailers()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest { Text = "raw" }));
        Assert.True(result.HttpStatus == HttpStatusCode.OK, string.Join("\n", _server.Logs.Lines.Select(l => l.Level + " " + l.Category + " " + l.Message)));
        Assert.False(result.TrailersOnly);
        Assert.Equal("0", result.Status);
        Assert.Equal("application/grpc", result.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("raw", EchoReply.Parser.ParseFrom(result.Body.AsSpan(5)).Text);
        Assert.Equal(result.Body.Length - 5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(result.Body.AsSpan(1)));
    }

    [Fact]
    public async Task Error_before_any_message_is_trailers_only_with_percent_encoded_message()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary,
            RawGrpc.Frame(new EchoRequest { FailCode = 9, FailMessage = "café 100%" }));
        Assert.True(result.TrailersOnly);
        Assert.Empty(result.Body);
        Assert.Equal("9", result.Status);
        Assert.Equal("caf%C3%A9 100%25", result.Response.Headers.GetValues("grpc-message").Single());
    }

    [Fact]
    public async Task Truncated_prefix_is_INTERNAL()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, [0, 0, 0]);
        Assert.Equal("13", result.Status);
        Assert.Contains("after 3 of the 5 prefix bytes", result.Message, StringComparison.Ordinal);
        Assert.True(_server.Logs.Contains(LogLevel.Debug, "prefix bytes"));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Length_beyond_the_body_is_INTERNAL()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, [0, 0, 0, 0, 10, 1, 2]);
        Assert.Equal("13", result.Status);
        Assert.Contains("announces 10 bytes but the stream ended after 2", result.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Compressed_flag_without_encoding_is_INTERNAL()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest { Text = "z" }, flag: 1));
        Assert.Equal("13", result.Status);
        Assert.Contains("compressed flag set but no grpc-encoding", result.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Garbage_payload_is_INTERNAL_parse_error()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame([0xFF, 0xFF, 0xFF, 0xFF, 0xFF]));
        Assert.Equal("13", result.Status);
        Assert.Contains("Failed to parse request message", result.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Oversize_request_is_RESOURCE_EXHAUSTED_naming_the_limit()
    {
        var big = new EchoRequest { Payload = ByteString.CopyFrom(new byte[10_000]) };
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(big));
        Assert.Equal("8", result.Status);
        Assert.Contains($"({big.CalculateSize()} vs. 4096 bytes)", result.Message, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Unary_with_zero_or_two_messages_is_UNIMPLEMENTED()
    {
        var none = await RawGrpc.SendAsync(_server.Address, Unary, []);
        Assert.Equal("12", none.Status);
        Assert.Contains("had none", none.Message, StringComparison.Ordinal);
        var frame = RawGrpc.Frame(new EchoRequest { Text = "a" });
        var two = await RawGrpc.SendAsync(_server.Address, Unary, [.. frame, .. frame]);
        Assert.Equal("12", two.Status);
        Assert.Contains("had more", two.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gzip_compressed_message_is_decompressed()
    {
        var payload = new EchoRequest { Text = "zipped" }.ToByteArray();
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(payload);
        }
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(compressed.ToArray(), flag: 1),
            headers: [("grpc-encoding", "gzip")]);
        Assert.Equal("0", result.Status);
        Assert.Equal("zipped", EchoReply.Parser.ParseFrom(result.Body.AsSpan(5)).Text);
        Assert.Contains("gzip", result.Response.Headers.GetValues("grpc-accept-encoding").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_encoding_is_UNIMPLEMENTED_with_accepted_encodings()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest()), headers: [("grpc-encoding", "snappy")]);
        Assert.Equal("12", result.Status);
        Assert.Contains("Unsupported grpc-encoding 'snappy'", result.Message, StringComparison.Ordinal);
        Assert.Equal("identity,gzip", result.Response.Headers.GetValues("grpc-accept-encoding").Single());
    }

    [Fact]
    public async Task Wrong_content_type_is_HTTP_415()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest()), contentType: "application/json");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.HttpStatus);
        Assert.True(_server.Logs.Contains(LogLevel.Debug, "content-type 'application/json'"));
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Get_request_is_HTTP_405()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, [], method: HttpMethod.Put);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, result.HttpStatus);
    }

    [Fact]
    public async Task Invalid_grpc_timeout_is_INTERNAL()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest()), headers: [("grpc-timeout", "12x")]);
        Assert.Equal("13", result.Status);
        Assert.Contains("Invalid grpc-timeout '12x'", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_enforces_grpc_timeout_itself()
    {
        var result = await RawGrpc.SendAsync(_server.Address, Unary, RawGrpc.Frame(new EchoRequest { Text = "raw-deadline", DelayMs = 30_000 }),
            headers: [("grpc-timeout", "200m")]);
        Assert.Equal("4", result.Status);
        Assert.Contains("200 ms", result.Message, StringComparison.Ordinal);
        Assert.Equal("cancelled", await _server.Echo.Probe("raw-deadline").Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Http11_request_gets_an_HTTP_error_and_the_server_keeps_serving()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {Unary} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/grpc\r\nContent-Length: 0\r\n\r\n"));
        var buffer = new byte[4096];
        var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var text = Encoding.ASCII.GetString(buffer, 0, read);
        Assert.StartsWith("HTTP/1.1 400", text, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Garbage_bytes_on_a_connection_do_not_disturb_other_connections()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _server.Address.Port);
        var garbage = new byte[1024];
        new Random(7).NextBytes(garbage);
        await tcp.GetStream().WriteAsync(garbage);
        var buffer = new byte[4096];
        try
        {
            // The server answers with an HTTP/2 GOAWAY (or closes); either way it must not hang.
            await tcp.GetStream().ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (IOException)
        {
        }
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Oversize_response_is_RESOURCE_EXHAUSTED_on_the_client()
    {
        using var channel = _server.CreateChannel(new GrpcChannelOptions { MaxReceiveMessageSize = 1000 });
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { ReplyPayloadBytes = 3000 }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("vs. 1000 bytes", ex.Status.Detail, StringComparison.Ordinal);
        await AssertStillServingAsync();
    }

    [Fact]
    public async Task Client_refuses_to_send_an_oversize_request()
    {
        using var channel = _server.CreateChannel(new GrpcChannelOptions { MaxSendMessageSize = 100 });
        var ex = Assert.Throws<RpcException>(() =>
            channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Payload = ByteString.CopyFrom(new byte[500]) }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
    }
}

/// <summary>The server's send limit.</summary>
public sealed class SendLimitTests
{
    [Fact]
    public async Task Oversize_response_is_RESOURCE_EXHAUSTED_from_the_server()
    {
        await using var server = await TestServer.StartAsync(o => o.MaxSendMessageSize = 1024);
        using var channel = server.CreateChannel();
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { ReplyPayloadBytes = 4000 }));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Contains("Sending response message larger than max", ex.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("vs. 1024 bytes", ex.Status.Detail, StringComparison.Ordinal);
    }
}
