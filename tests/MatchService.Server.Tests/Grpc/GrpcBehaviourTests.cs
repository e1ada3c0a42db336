using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts;
using MatchService.Contracts.V1;

namespace MatchService.Server.Tests.Grpc;

/// <summary>One real server (default models, a 1 MiB receive limit, gzip responses) shared by the class.</summary>
public sealed class SmallLimitServer : IAsyncLifetime
{
    public const int ReceiveLimit = 1024 * 1024;

    public RunningServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await RunningServer.StartAsync($"--Match:MaxReceiveMessageSize={ReceiveLimit}", "--Match:ResponseCompression=gzip");
        await Server.WaitServingAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>How the host on Grpc.AspNetCore answers what grpc-dotnet would answer vaguely, through our own client.</summary>
public sealed class GrpcBehaviourTests(SmallLimitServer fixture) : IClassFixture<SmallLimitServer>
{
    private static readonly Marshaller<byte[]> Raw = Marshallers.Create(b => b, b => b);

    private static Method<byte[], byte[]> Method(MethodType type, string service, string name) => new(type, service, name, Raw, Raw);

    [Fact]
    public async Task Unknown_method_and_unknown_service_are_UNIMPLEMENTED_naming_them()
    {
        using var clients = fixture.Server.Connect();
        var invoker = clients.Channel.CreateCallInvoker();
        var method = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(Method(MethodType.Unary, "match.v1.MatchService", "Nope"), null, new CallOptions(), []));
        Assert.Equal(StatusCode.Unimplemented, method.StatusCode);
        Assert.Equal("unknown method 'Nope' of service 'match.v1.MatchService'", method.Status.Detail);

        var service = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(Method(MethodType.Unary, "no.such.Service", "Foo"), null, new CallOptions(), []));
        Assert.Equal(StatusCode.Unimplemented, service.StatusCode);
        Assert.StartsWith("unknown service 'no.such.Service' (served: ", service.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("match.v1.MatchService", service.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reflection_v1_and_v1alpha_list_the_services_and_serve_their_files()
    {
        using var clients = fixture.Server.Connect();
        string[] expected = ["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "match.v1.MatchService"];

        using (var v1 = new global::Grpc.Reflection.V1.ServerReflection.ServerReflectionClient(clients.Channel).ServerReflectionInfo())
        {
            await v1.RequestStream.WriteAsync(new() { ListServices = "" });
            Assert.True(await v1.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(expected, v1.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
            await v1.RequestStream.WriteAsync(new() { FileContainingSymbol = "match.v1.MatchService" });
            Assert.True(await v1.ResponseStream.MoveNext(CancellationToken.None));
            Assert.NotEmpty(v1.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto);
            await v1.RequestStream.CompleteAsync();
        }

        // grpcurl before 1.8.8 asks only v1alpha.
        using var alpha = new global::Grpc.Reflection.V1Alpha.ServerReflection.ServerReflectionClient(clients.Channel).ServerReflectionInfo();
        await alpha.RequestStream.WriteAsync(new() { ListServices = "" });
        Assert.True(await alpha.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Equal(expected, alpha.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).Order(StringComparer.Ordinal));
        await alpha.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task Health_knows_the_server_and_the_match_service_and_names_them_for_an_unknown_name()
    {
        using var clients = fixture.Server.Connect();
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, await clients.CheckAsync(""));
        Assert.Equal(global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, await clients.CheckAsync("match.v1.MatchService"));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => clients.CheckAsync("nosuch"));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("unknown service name 'nosuch'; known: '' (the server) and 'match.v1.MatchService'", unknown.Status.Detail);
    }

    [Fact]
    public async Task The_stage_trailer_comes_with_answers_and_failures_alike()
    {
        using var clients = fixture.Server.Connect();
        var photo = ByteString.CopyFrom(await File.ReadAllBytesAsync(Path.Combine(RepoPaths.FaceApiDemo, "sample1.jpg")));
        var request = new RankRequest { Query = new Image { Id = "q", Data = photo } };
        request.Candidates.Add(new Candidate { Id = "c1", Category = "shirts", Image = photo });
        using (var ok = clients.Match.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddMinutes(2)))
        {
            await ok.ResponseAsync;
            Assert.Contains(StageTrailer.Parse(ok.GetTrailers().GetValue(StageTrailer.Name)), s => s.Key == "decode" && s.Value > 0);
        }

        // An undecodable candidate fails the call after the query was decoded: the stages so far still come back.
        request.Candidates.Add(new Candidate { Id = "junk", Category = "shirts", Image = ByteString.CopyFromUtf8("not an image") });
        var failed = await Assert.ThrowsAsync<RpcException>(async () => await clients.Match.RankCandidatesAsync(request, deadline: DateTime.UtcNow.AddMinutes(2)));
        Assert.Equal(StatusCode.InvalidArgument, failed.StatusCode);
        Assert.Contains(StageTrailer.Parse(failed.Trailers.GetValue(StageTrailer.Name)), s => s.Key == "decode" && s.Value > 0);

        // A call whose handler times nothing sends no such trailer.
        using var models = clients.Match.ListModelsAsync(new ListModelsRequest());
        await models.ResponseAsync;
        Assert.Null(models.GetTrailers().GetValue(StageTrailer.Name));
    }

    [Fact]
    public async Task An_oversize_request_is_RESOURCE_EXHAUSTED_naming_the_limit_and_its_setting()
    {
        using var clients = fixture.Server.Connect();
        var request = new CompareRequest { First = new CompareInput { Image = new Image { Id = "big", Data = ByteString.CopyFrom(new byte[SmallLimitServer.ReceiveLimit + 1]) } } };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await clients.Match.CompareWithConfidenceAsync(request));
        Assert.Equal(StatusCode.ResourceExhausted, ex.StatusCode);
        Assert.Equal($"request message larger than the limit of {SmallLimitServer.ReceiveLimit} bytes (Match:MaxReceiveMessageSize)", ex.Status.Detail);
    }

    [Fact]
    public async Task Unparsable_requests_are_INTERNAL_with_the_parse_error_unary_and_streamed()
    {
        using var clients = fixture.Server.Connect();
        var invoker = clients.Channel.CreateCallInvoker();
        var garbage = new byte[] { 0x0a, 0, 0, 0, 0, 0, 0 }; // field 1, then a zero tag
        var unary = await Assert.ThrowsAsync<RpcException>(async () =>
            await invoker.AsyncUnaryCall(Method(MethodType.Unary, "match.v1.MatchService", "CompareWithConfidence"), null, new CallOptions(), garbage));
        Assert.Equal(StatusCode.Internal, unary.StatusCode);
        Assert.StartsWith("failed to parse the request message: ", unary.Status.Detail, StringComparison.Ordinal);

        using var stream = invoker.AsyncClientStreamingCall(Method(MethodType.ClientStreaming, "match.v1.MatchService", "RankCandidatesStream"), null, new CallOptions());
        await stream.RequestStream.WriteAsync(garbage);
        await stream.RequestStream.CompleteAsync();
        var streamed = await Assert.ThrowsAsync<RpcException>(async () => await stream.ResponseAsync);
        Assert.Equal(StatusCode.Internal, streamed.StatusCode);
        Assert.StartsWith("failed to parse the request message: ", streamed.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deadline_that_passes_is_DEADLINE_EXCEEDED_and_the_server_keeps_serving()
    {
        using var clients = fixture.Server.Connect();
        var photo = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.FaceApiDemo, "sample1.jpg"));
        var request = new CompareRequest
        {
            First = new CompareInput { Image = new Image { Id = "a", Data = ByteString.CopyFrom(photo) } },
            Second = new CompareInput { Image = new Image { Id = "b", Data = ByteString.CopyFrom(photo) } },
        };
        var late = await Assert.ThrowsAsync<RpcException>(async () =>
            await clients.Match.CompareWithConfidenceAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(1)));
        Assert.Equal(StatusCode.DeadlineExceeded, late.StatusCode);
        Assert.NotEmpty((await clients.Match.ListModelsAsync(new ListModelsRequest())).Models);
    }

    [Fact]
    public async Task Gzip_requests_are_read_and_responses_come_back_gzip_when_configured()
    {
        using var clients = fixture.Server.Connect(configure: o => o.CompressRequests = true);
        // A precomputed vector of the wrong size: the answer names the field, so the server read the compressed message.
        var request = new CompareRequest
        {
            First = new CompareInput { Precomputed = new FeatureWithConfidence { Feature = { new float[1000] }, Confidence = { new float[1000] } } },
        };
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await clients.Match.CompareWithConfidenceAsync(request));
        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Contains("first.precomputed", ex.Status.Detail, StringComparison.Ordinal);

        // Responses: on the wire, grpc-encoding gzip and the message's compressed flag set (a raw HTTP/2 request, since
        // grpc-dotnet's client hides both).
        using var http = new HttpClient();
        using var raw = new HttpRequestMessage(HttpMethod.Post, new Uri(fixture.Server.Address, "/match.v1.MatchService/ListModels"))
        {
            Version = new Version(2, 0),
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 0]),
        };
        raw.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        raw.Headers.TryAddWithoutValidation("te", "trailers");
        raw.Headers.TryAddWithoutValidation("grpc-accept-encoding", "identity,gzip");
        using var response = await http.SendAsync(raw);
        Assert.Equal("gzip", Assert.Single(response.Headers.GetValues("grpc-encoding")));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(1, body[0]);
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
    }
}
