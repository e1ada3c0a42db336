using System.Diagnostics;
using System.Globalization;
using MatchService.Grpc.Client;
using MatchService.Grpc.Tests.Echo;
using MatchService.Grpc.Tests.Infrastructure;

namespace MatchService.Grpc.Tests;

/// <summary>
/// <see cref="GrpcChannelOptions.RequestCompression"/>: with gzip every request message of every call kind goes
/// compressed (seen on the wire), and both our server and Google's C-core server (python3-grpcio) read it intact.
/// </summary>
public sealed class CompressionTests
{
    // Compressible on purpose: 12 bytes × 400 shrink to a few dozen.
    private static readonly string Text = string.Concat(Enumerable.Repeat("compress-me ", 400));

    /// <summary>The request messages <see cref="CallEveryKindAsync"/> sends: 1 unary, 3 collected, 1 expanded, 2 chatted.</summary>
    private const int RequestMessages = 7;

    [Theory]
    [InlineData(RequestCompression.None)]
    [InlineData(RequestCompression.Gzip)]
    public async Task Requests_reach_our_server_intact_compressed_on_the_wire_only_with_gzip(RequestCompression compression)
    {
        await using var server = await TestServer.StartAsync();
        var tap = new WireTap();
        using var channel = server.CreateChannel(new GrpcChannelOptions { HttpHandler = tap.CreateHandler(), RequestCompression = compression });
        await CallEveryKindAsync(channel);
        AssertWire(tap, compression);
    }

    [Theory]
    [InlineData(RequestCompression.None)]
    [InlineData(RequestCompression.Gzip)]
    public async Task Python_grpcio_server_reads_our_requests_with_and_without_gzip(RequestCompression compression)
    {
        Assert.True(File.Exists("/usr/bin/python3"), "Debian's /usr/bin/python3 is missing: run scripts/setup.sh");
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "interop", "echo_server.py"), Path.Combine(AppContext.BaseDirectory, "Protos") },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var python = Process.Start(psi)!;
        var errors = python.StandardError.ReadToEndAsync();
        try
        {
            var first = await python.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (first is null || !first.StartsWith("PORT ", StringComparison.Ordinal))
            {
                Assert.Fail($"the python server did not start: {first} {await errors.WaitAsync(TimeSpan.FromSeconds(10))}");
            }
            var port = int.Parse(first[5..], CultureInfo.InvariantCulture);
            var tap = new WireTap();
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}", new GrpcChannelOptions { HttpHandler = tap.CreateHandler(), RequestCompression = compression });
            await CallEveryKindAsync(channel);
            AssertWire(tap, compression);
        }
        finally
        {
            python.StandardInput.Close(); // the server stops when its stdin closes
            if (!python.WaitForExit(10_000))
            {
                python.Kill();
            }
        }
    }

    private static async Task CallEveryKindAsync(GrpcChannel channel)
    {
        // A deadline per call: a call the peer cannot read fails here instead of hanging the run.
        static CallOptions Within() => CallOptions.WithTimeout(TimeSpan.FromSeconds(20));
        var unary = await channel.AsyncUnaryCall(EchoMethods.Unary, new EchoRequest { Text = Text }, Within()).ResponseAsync;
        Assert.Equal(Text, unary.Text);

        using var collect = channel.AsyncClientStreamingCall(EchoMethods.Collect, Within());
        foreach (var suffix in new[] { "a", "b", "c" })
        {
            await collect.RequestStream.WriteAsync(new EchoRequest { Text = Text + suffix });
        }
        await collect.RequestStream.CompleteAsync();
        var collected = await collect.ResponseAsync;
        Assert.Equal(3, collected.Count);
        Assert.Equal($"{Text}a,{Text}b,{Text}c", collected.Text);

        using var expand = channel.AsyncServerStreamingCall(EchoMethods.Expand, new EchoRequest { Text = Text, Repeat = 2 }, Within());
        var expanded = new List<EchoReply>();
        while (await expand.ResponseStream.MoveNext(CancellationToken.None))
        {
            expanded.Add(expand.ResponseStream.Current);
        }
        Assert.Equal([0, 1], expanded.Select(r => r.Index));
        Assert.All(expanded, r => Assert.Equal(Text, r.Text));

        // Ping-pong: each reply before the next request, so every request is its own frame.
        using var chat = channel.AsyncDuplexStreamingCall(EchoMethods.Chat, Within());
        foreach (var suffix in new[] { "x", "y" })
        {
            await chat.RequestStream.WriteAsync(new EchoRequest { Text = Text + suffix });
            Assert.True(await chat.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(Text + suffix, chat.ResponseStream.Current.Text);
        }
        await chat.RequestStream.CompleteAsync();
        Assert.False(await chat.ResponseStream.MoveNext(CancellationToken.None));
    }

    private static void AssertWire(WireTap tap, RequestCompression compression)
    {
        var plain = tap.SentInPlain("compress-me compress-me compress-me");
        if (compression == RequestCompression.Gzip)
        {
            Assert.Equal(RequestMessages, tap.GzipFrames());
            Assert.False(plain, "request text went over the wire uncompressed");
            Assert.True(tap.Sent().Length < RequestMessages * Text.Length / 4, $"{tap.Sent().Length} bytes sent for {RequestMessages} messages of {Text.Length} bytes");
        }
        else
        {
            Assert.Equal(0, tap.GzipFrames());
            Assert.True(plain);
        }
    }
}
