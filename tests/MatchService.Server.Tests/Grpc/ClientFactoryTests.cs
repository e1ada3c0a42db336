using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using MatchService.Contracts.Client;
using MatchService.Contracts.V1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Server.Tests.Grpc;

/// <summary>
/// The client factory (<see cref="MatchServiceChannel"/>, <see cref="MatchServiceClientRegistration"/>) against small
/// grpc-dotnet servers whose ListModels says who answered: retries that wait for the pushback, round robin over two
/// servers, call credentials, gzip, and the DI registration.
/// </summary>
public sealed class ClientFactoryTests
{
    [Fact]
    public async Task RESOURCE_EXHAUSTED_is_retried_after_the_servers_pushback()
    {
        var arrivals = new ConcurrentQueue<long>();
        await using var server = await ModelsEcho.StartAsync("busy-then-ok", arrivals, refuseFirst: 1, pushbackMs: 300);
        using var channel = MatchServiceChannel.Create(new MatchServiceClientOptions { Address = server.Address });
        var client = new V1.MatchService.MatchServiceClient(channel);

        var answer = await client.ListModelsAsync(new ListModelsRequest());
        Assert.Equal("busy-then-ok", answer.Models[0].Name);
        var times = arrivals.ToArray();
        Assert.Equal(2, times.Length);
        // The retry waited at least the pushback (a lower bound: a loaded machine only adds to it).
        Assert.True(Stopwatch.GetElapsedTime(times[0], times[1]) >= TimeSpan.FromMilliseconds(300),
            $"retried after {Stopwatch.GetElapsedTime(times[0], times[1]).TotalMilliseconds:F0} ms");

        // With retries off, the refusal and its pushback reach the caller.
        using var noRetry = MatchServiceChannel.Create(new MatchServiceClientOptions { Address = server.Address, MaxAttempts = 1 });
        server.RefuseNext(1);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await new V1.MatchService.MatchServiceClient(noRetry).ListModelsAsync(new ListModelsRequest()));
        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Equal("300", refused.Trailers.GetValue("grpc-retry-pushback-ms"));
    }

    [Fact]
    public async Task Calls_are_spread_round_robin_over_every_resolved_address()
    {
        await using var a = await ModelsEcho.StartAsync("server-a");
        await using var b = await ModelsEcho.StartAsync("server-b");
        var options = new MatchServiceClientOptions { Address = "static:///matchservice" };
        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = MatchServiceChannel.CreateHandler(options),
            // A static resolver stands for DNS answering two pod addresses (dns:/// takes the same path).
            ServiceProvider = new ServiceCollection().AddSingleton<ResolverFactory>(new StaticResolverFactory(_ =>
                [new BalancerAddress("127.0.0.1", new Uri(a.Address).Port), new BalancerAddress("127.0.0.1", new Uri(b.Address).Port)]))
                .BuildServiceProvider(),
        };
        MatchServiceChannel.Configure(channelOptions, options);
        using var channel = GrpcChannel.ForAddress(options.Address, channelOptions);
        var client = new V1.MatchService.MatchServiceClient(channel);
        await channel.ConnectAsync();
        // The channel is ready once one address is; round robin alternates strictly once both are connected.
        var seen = new HashSet<string>();
        for (var i = 0; i < 100 && seen.Count < 2; i++)
        {
            seen.Add((await client.ListModelsAsync(new ListModelsRequest())).Models[0].Name);
        }
        Assert.Equal(["server-a", "server-b"], seen.Order(StringComparer.Ordinal));

        var answers = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            answers.Add((await client.ListModelsAsync(new ListModelsRequest())).Models[0].Name);
        }
        Assert.Equal(5, answers.Count(n => n == "server-a"));
        Assert.Equal(5, answers.Count(n => n == "server-b"));
    }

    [Fact]
    public async Task The_DI_registration_sends_the_token_as_call_credentials_and_gzips_requests()
    {
        await using var server = await ModelsEcho.StartAsync("echo");
        var services = new ServiceCollection();
        services.AddMatchServiceClient(o =>
        {
            o.Address = server.Address;
            o.BearerToken = "0123456789abcdef-token";
            o.CompressRequests = true;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<V1.MatchService.MatchServiceClient>();

        var models = (await client.ListModelsAsync(new ListModelsRequest())).Models;
        Assert.Equal("Bearer 0123456789abcdef-token", models[0].Description);
        Assert.Equal("gzip", models[0].Version);
    }

    [Fact]
    public async Task Both_ways_mark_a_comparison_of_precomputed_pairs_with_match_inputs_vectors_and_only_that()
    {
        await using var server = await ModelsEcho.StartAsync("echo");
        var options = new MatchServiceClientOptions { Address = server.Address, MaxAttempts = 1 };
        using var channel = MatchServiceChannel.Create(options);
        var services = new ServiceCollection();
        services.AddMatchServiceClient(o => (o.Address, o.MaxAttempts) = (server.Address, 1));
        await using var provider = services.BuildServiceProvider();
        V1.MatchService.MatchServiceClient[] clients =
            [MatchServiceChannel.CreateClient(channel, options), provider.GetRequiredService<V1.MatchService.MatchServiceClient>()];

        var pair = new FeatureWithConfidence { Feature = { 1f, 0f }, Confidence = { 1f, 1f } };
        var photo = new V1.Image { Id = "a", Data = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) };
        foreach (var client in clients)
        {
            var vectors = new CompareRequest { First = new() { Precomputed = pair }, Second = new() { Precomputed = pair } };
            Assert.Equal("vectors", (await client.CompareWithConfidenceAsync(vectors)).First.ImageId);
            Assert.Equal("vectors", client.CompareWithConfidence(vectors).First.ImageId); // the blocking call too
            var mixed = new CompareRequest { First = new() { Image = photo }, Second = new() { Precomputed = pair } };
            Assert.Equal("", (await client.CompareWithConfidenceAsync(mixed)).First.ImageId);
            // A header the caller set is kept as it is; the caller's own metadata is not changed for its next calls.
            var own = new Metadata { { "match-inputs", "vectors" } };
            Assert.Equal("vectors", (await client.CompareWithConfidenceAsync(vectors, own)).First.ImageId);
            var reused = new Metadata { { "x-request-id", "1" } };
            Assert.Equal("vectors", (await client.CompareWithConfidenceAsync(vectors, reused)).First.ImageId);
            Assert.Equal("", (await client.CompareWithConfidenceAsync(mixed, reused)).First.ImageId);
            Assert.Single(reused);
        }
    }

    /// <summary>
    /// A grpc-dotnet server whose ListModels names itself, echoes the authorization header and request encoding, and can
    /// refuse; its CompareWithConfidence echoes the <c>match-inputs</c> header.
    /// </summary>
    private sealed class ModelsEcho : V1.MatchService.MatchServiceBase, IAsyncDisposable
    {
        private readonly string _name;
        private readonly ConcurrentQueue<long>? _arrivals;
        private readonly int _pushbackMs;
        private int _refuse;
        private WebApplication _app = null!;

        private ModelsEcho(string name, ConcurrentQueue<long>? arrivals, int refuse, int pushbackMs)
        {
            (_name, _arrivals, _refuse, _pushbackMs) = (name, arrivals, refuse, pushbackMs);
        }

        public string Address { get; private set; } = "";

        public static async Task<ModelsEcho> StartAsync(string name, ConcurrentQueue<long>? arrivals = null, int refuseFirst = 0, int pushbackMs = 0)
        {
            var echo = new ModelsEcho(name, arrivals, refuseFirst, pushbackMs);
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
            builder.Services.AddGrpc();
            builder.Services.AddSingleton(echo);
            echo._app = builder.Build();
            echo._app.MapGrpcService<ModelsEcho>();
            await echo._app.StartAsync();
            echo.Address = echo._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return echo;
        }

        public void RefuseNext(int count) => Interlocked.Exchange(ref _refuse, count);

        public override Task<ListModelsResponse> ListModels(ListModelsRequest request, ServerCallContext context)
        {
            _arrivals?.Enqueue(Stopwatch.GetTimestamp());
            if (Interlocked.Decrement(ref _refuse) >= 0)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, "queue full"),
                    new Metadata { { "grpc-retry-pushback-ms", _pushbackMs.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
            }
            return Task.FromResult(new ListModelsResponse
            {
                Models =
                {
                    new ModelInfo
                    {
                        Name = _name,
                        Description = context.RequestHeaders.GetValue("authorization") ?? "",
                        // grpc-dotnet keeps grpc-encoding out of RequestHeaders; the HTTP request has it.
                        Version = context.GetHttpContext().Request.Headers["grpc-encoding"].ToString(),
                    },
                },
            });
        }

        /// <summary>Answers with the request's <c>match-inputs</c> header (comma-joined when sent twice) as the first image id.</summary>
        public override Task<CompareResponse> CompareWithConfidence(CompareRequest request, ServerCallContext context) =>
            Task.FromResult(new CompareResponse { First = new() { ImageId = context.GetHttpContext().Request.Headers["match-inputs"].ToString() } });

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
