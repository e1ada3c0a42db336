using System.Collections.Concurrent;
using MatchService.Grpc.Server;
using MatchService.Grpc.Tests.Echo;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>The Echo test service; records what its handlers observed so tests can assert on the server side.</summary>
public sealed class EchoService
{
    /// <summary>Per request text: completes with "cancelled" when the handler saw its token cancelled.</summary>
    public ConcurrentDictionary<string, TaskCompletionSource<string>> Observed { get; } = new();

    public TaskCompletionSource<string> Probe(string text) =>
        Observed.GetOrAdd(text, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    public static readonly Google.Protobuf.Reflection.ServiceDescriptor Descriptor = EchoReflection.Descriptor.Services[0];

    public void Bind(GrpcServiceBuilder builder) => builder
        .Unary<EchoRequest, EchoReply>("Unary", UnaryAsync)
        .ClientStreaming<EchoRequest, EchoReply>("Collect", CollectAsync)
        .ServerStreaming<EchoRequest, EchoReply>("Expand", ExpandAsync)
        .DuplexStreaming<EchoRequest, EchoReply>("Chat", ChatAsync);

    private async Task<EchoReply> UnaryAsync(EchoRequest request, ServerCallContext context)
    {
        await ActAsync(request, context);
        return Reply(request, context, 0);
    }

    private async Task<EchoReply> CollectAsync(IAsyncStreamReader<EchoRequest> requests, ServerCallContext context)
    {
        var texts = new List<string>();
        await foreach (var request in requests.ReadAllAsync())
        {
            await ActAsync(request, context);
            texts.Add(request.Text);
        }
        return new EchoReply { Text = string.Join(",", texts), Count = texts.Count, Peer = context.Peer };
    }

    private async Task ExpandAsync(EchoRequest request, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        for (var i = 0; i < request.Repeat; i++)
        {
            await ActAsync(request, context, failAfterDelay: false);
            await responses.WriteAsync(Reply(request, context, i));
        }
        Fail(request);
    }

    private async Task ChatAsync(IAsyncStreamReader<EchoRequest> requests, IServerStreamWriter<EchoReply> responses, ServerCallContext context)
    {
        var index = 0;
        await foreach (var request in requests.ReadAllAsync())
        {
            await ActAsync(request, context);
            await responses.WriteAsync(Reply(request, context, index++));
        }
    }

    private async Task ActAsync(EchoRequest request, ServerCallContext context, bool failAfterDelay = true)
    {
        if (request.DelayMs > 0)
        {
            Probe(request.Text + ":started").TrySetResult("started");
            try
            {
                await Task.Delay(request.DelayMs, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                Probe(request.Text).TrySetResult("cancelled");
                throw;
            }
        }
        if (request.ThrowException)
        {
            throw new InvalidOperationException("secret internal detail");
        }
        if (failAfterDelay)
        {
            Fail(request);
        }
    }

    private static void Fail(EchoRequest request)
    {
        if (request.FailCode != 0)
        {
            var trailers = new Metadata().Add("x-fail-trailer", "present").Add("grpc-retry-pushback-ms", "250");
            throw new RpcException((StatusCode)request.FailCode, request.FailMessage, trailers);
        }
    }

    private static EchoReply Reply(EchoRequest request, ServerCallContext context, int index) => new()
    {
        Text = request.Text,
        Index = index,
        Peer = context.Peer,
        Header = context.RequestHeaders.GetValue("x-test") ?? "",
        Payload = Google.Protobuf.ByteString.CopyFrom(new byte[request.ReplyPayloadBytes]),
        DeadlineSeconds = context.Deadline == DateTime.MaxValue ? -1 : (context.Deadline - DateTime.UtcNow).TotalSeconds,
    };
}
