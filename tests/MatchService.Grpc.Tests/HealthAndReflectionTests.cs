using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Health.V1;
using MatchService.Grpc.Client;
using MatchService.Grpc.Health;
using MatchService.Grpc.Reflection;
using MatchService.Grpc.Tests.Infrastructure;
using V1 = Grpc.Reflection.V1;
using V1Alpha = Grpc.Reflection.V1Alpha;

namespace MatchService.Grpc.Tests;

/// <summary>grpc.health.v1 and server reflection through our client.</summary>
public sealed class HealthAndReflectionTests : ServerWithChannel
{
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Check =
        GrpcMethod.Create<HealthCheckRequest, HealthCheckResponse>(HealthService.Descriptor, "Check");
    private static readonly Method<HealthCheckRequest, HealthCheckResponse> Watch =
        GrpcMethod.Create<HealthCheckRequest, HealthCheckResponse>(HealthService.Descriptor, "Watch");
    private static readonly Method<V1.ServerReflectionRequest, V1.ServerReflectionResponse> ReflectV1 =
        GrpcMethod.Create<V1.ServerReflectionRequest, V1.ServerReflectionResponse>(ReflectionService.V1Descriptor, "ServerReflectionInfo");
    private static readonly Method<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse> ReflectV1Alpha =
        GrpcMethod.Create<V1Alpha.ServerReflectionRequest, V1Alpha.ServerReflectionResponse>(ReflectionService.V1AlphaDescriptor, "ServerReflectionInfo");

    [Fact]
    public async Task Check_reports_the_registered_status_and_NOT_FOUND_for_unknown_names()
    {
        Server.Health.SetStatus("", HealthCheckResponse.Types.ServingStatus.NotServing);
        Server.Health.SetStatus("match.v1.MatchService", HealthCheckResponse.Types.ServingStatus.Serving);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing,
            (await Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving,
            (await Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "match.v1.MatchService" })).Status);
        var ex = await Assert.ThrowsAsync<RpcException>(async () =>
            await Channel.AsyncUnaryCall(Check, new HealthCheckRequest { Service = "nope.Service" }));
        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
        Assert.Contains("nope.Service", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_streams_the_current_status_then_every_change()
    {
        using var call = Channel.AsyncServerStreamingCall(Watch, new HealthCheckRequest { Service = "svc.Watched" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);
        Server.Health.SetStatus("svc.Watched", HealthCheckResponse.Types.ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, call.ResponseStream.Current.Status);
        Server.Health.SetStatus("svc.Watched", HealthCheckResponse.Types.ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, call.ResponseStream.Current.Status);
        Server.Health.EnterShutdown();
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, call.ResponseStream.Current.Status);
    }

    [Fact]
    public async Task Reflection_v1_lists_services_and_returns_files_with_dependencies()
    {
        using var call = Channel.AsyncDuplexStreamingCall(ReflectV1);
        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { ListServices = "" });
        Assert.True(await call.ResponseStream.MoveNext());
        var names = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        Assert.Contains("test.echo.v1.Echo", names);
        Assert.Contains("grpc.health.v1.Health", names);
        Assert.Contains("grpc.reflection.v1alpha.ServerReflection", names);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "test.echo.v1.Echo.Chat" });
        Assert.True(await call.ResponseStream.MoveNext());
        var file = FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]);
        Assert.Equal("echo.proto", file.Name);
        Assert.Contains(file.Service[0].Method, m => m.Name == "Chat" && m.ClientStreaming && m.ServerStreaming);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileByFilename = "grpc/reflection/v1/reflection.proto" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal("grpc/reflection/v1/reflection.proto",
            FileDescriptorProto.Parser.ParseFrom(call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto[0]).Name);

        await call.RequestStream.WriteAsync(new V1.ServerReflectionRequest { FileContainingSymbol = "no.Such" });
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal((int)StatusCode.NotFound, call.ResponseStream.Current.ErrorResponse.ErrorCode);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public async Task Reflection_v1alpha_answers_the_same()
    {
        using var call = Channel.AsyncDuplexStreamingCall(ReflectV1Alpha);
        await call.RequestStream.WriteAsync(new V1Alpha.ServerReflectionRequest { FileContainingSymbol = "test.echo.v1.EchoReply", Host = "h" });
        Assert.True(await call.ResponseStream.MoveNext());
        var response = call.ResponseStream.Current;
        Assert.Equal("h", response.ValidHost);
        Assert.Equal("test.echo.v1.EchoReply", response.OriginalRequest.FileContainingSymbol);
        Assert.Equal("echo.proto", FileDescriptorProto.Parser.ParseFrom(response.FileDescriptorResponse.FileDescriptorProto[0]).Name);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext());
    }

    [Fact]
    public void Reflection_includes_transitive_dependencies()
    {
        var registry = new Server.GrpcServiceRegistry();
        var withDeps = FileDescriptor.BuildFromByteStrings([
            Google.Protobuf.WellKnownTypes.Timestamp.Descriptor.File.SerializedData,
            new FileDescriptorProto
            {
                Name = "dep_test.proto", Package = "dep", Syntax = "proto3", Dependency = { "google/protobuf/timestamp.proto" },
                MessageType = { new DescriptorProto { Name = "M", Field = { new FieldDescriptorProto { Name = "t", Number = 1, Type = FieldDescriptorProto.Types.Type.Message, TypeName = ".google.protobuf.Timestamp", Label = FieldDescriptorProto.Types.Label.Optional } } } },
                Service = { new ServiceDescriptorProto { Name = "S", Method = { new MethodDescriptorProto { Name = "Get", InputType = ".dep.M", OutputType = ".dep.M" } } } },
            }.ToByteString(),
        ])[1];
        registry.GetType().GetMethod("Add", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!
            .Invoke(registry, [withDeps.Services[0]]);
        var answer = new ReflectionService(registry).Answer(new V1.ServerReflectionRequest { FileContainingSymbol = "dep.M" });
        var names = answer.FileDescriptorResponse.FileDescriptorProto.Select(b => FileDescriptorProto.Parser.ParseFrom(b).Name).ToList();
        Assert.Equal(["dep_test.proto", "google/protobuf/timestamp.proto"], names);
    }
}
