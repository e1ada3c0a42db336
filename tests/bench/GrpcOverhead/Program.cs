using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using Google.Protobuf;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using MatchService.Server.Hosting;
using MatchService.Server.Telemetry;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Usage: GrpcOverhead MODE GRPC_PORT COUNTERS_PORT REQUEST_FILE
//   MODE ours: grpc.health.v1.Health/Check through MatchService's own pipeline (metrics and status middleware, drain,
//              unknown-method middleware, the error interceptor) on Grpc.AspNetCore;
//        grpc: the same service on plain Grpc.AspNetCore; bare: a Kestrel endpoint answering the same bytes.
// Writes the framed HealthCheckRequest to REQUEST_FILE (for h2load -d). GET /counters on COUNTERS_PORT answers
// "cpu_us allocated_bytes calls" so far, so the script can take differences over a fixed number of calls.
var mode = args[0];
var grpcPort = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
var countersPort = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllBytesAsync(args[3], Frame(new HealthCheckRequest()));
var response = Frame(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving });
long calls = 0;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2);
    k.Listen(IPAddress.Loopback, countersPort, l => l.Protocols = HttpProtocols.Http1);
});
if (mode == "ours")
{
    builder.Services.AddOptions<MatchServerOptions>();
    builder.Services.AddMatchGrpc();
    builder.Services.AddSingleton(Prometheus.Metrics.NewCustomRegistry());
    builder.Services.AddSingleton<RpcMetrics>();
}
else if (mode == "grpc")
{
    builder.Services.AddGrpc();
    var health = new HealthServiceImpl();
    health.SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);
    builder.Services.AddSingleton(health);
}

var app = builder.Build();
app.MapWhen(http => http.Connection.LocalPort == countersPort, c => c.Run(http =>
{
    var cpu = Process.GetCurrentProcess().TotalProcessorTime.TotalMicroseconds;
    return http.Response.WriteAsync(FormattableString.Invariant($"{cpu:F0} {GC.GetTotalAllocatedBytes(true)} {Interlocked.Read(ref calls)}\n"));
}));
app.Use((http, next) =>
{
    Interlocked.Increment(ref calls);
    return next(http);
});
switch (mode)
{
    case "ours":
        app.UseMatchGrpcPipeline();
        app.MapGrpcService<MatchHealthService>();
        break;
    case "grpc":
        app.MapGrpcService<HealthServiceImpl>();
        break;
    default:
        // Reads the body, answers the same headers, bytes and trailers with no gRPC layer at all.
        app.Run(async http =>
        {
            var body = http.Request.BodyReader;
            while (true)
            {
                var read = await body.ReadAsync();
                body.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    break;
                }
            }
            http.Response.ContentType = "application/grpc";
            http.Response.Headers["grpc-accept-encoding"] = "identity,gzip,deflate";
            await http.Response.BodyWriter.WriteAsync(response);
            http.Response.AppendTrailer("grpc-status", "0");
        });
        break;
}
await app.RunAsync();

static byte[] Frame(IMessage message)
{
    var payload = message.ToByteArray();
    var frame = new byte[5 + payload.Length];
    BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
    payload.CopyTo(frame, 5);
    return frame;
}
