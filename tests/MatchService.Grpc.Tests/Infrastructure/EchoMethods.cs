using MatchService.Grpc.Tests.Echo;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>Typed client methods of the Echo service.</summary>
public static class EchoMethods
{
    public static readonly Method<EchoRequest, EchoReply> Unary = GrpcMethod.Create<EchoRequest, EchoReply>(EchoService.Descriptor, "Unary");
    public static readonly Method<EchoRequest, EchoReply> Collect = GrpcMethod.Create<EchoRequest, EchoReply>(EchoService.Descriptor, "Collect");
    public static readonly Method<EchoRequest, EchoReply> Expand = GrpcMethod.Create<EchoRequest, EchoReply>(EchoService.Descriptor, "Expand");
    public static readonly Method<EchoRequest, EchoReply> Chat = GrpcMethod.Create<EchoRequest, EchoReply>(EchoService.Descriptor, "Chat");
}
