using System.Net;
using Google.Protobuf;
using Grpc.Health.V1;
using MatchService.Grpc.Framing;
using MatchService.Grpc.Health;
using MatchService.Grpc.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// Usage: GrpcOverhead GRPC_PORT BARE_PORT REQUEST_FILE
// Writes the framed HealthCheckRequest to REQUEST_FILE (for h2load -d), then serves until killed.
var grpcPort = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var barePort = int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture);
await File.WriteAllBytesAsync(args[2], MessageFrameWriter.ToArray(new HealthCheckRequest(), int.MaxValue, "request"));
var response = MessageFrameWriter.ToArray(new HealthCheckResponse { Status = HealthCheckResponse.Types.ServingStatus.Serving }, int.MaxValue, "response");

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, grpcPort, l => l.Protocols = HttpProtocols.Http2);
    k.Listen(IPAddress.Loopback, barePort, l => l.Protocols = HttpProtocols.Http2);
});
builder.Services.AddGrpcServer();
builder.Services.AddGrpcHealthAndReflection();
var app = builder.Build();
app.Services.GetRequiredService<HealthStatusRegistry>().SetStatus("", HealthCheckResponse.Types.ServingStatus.Serving);

// The bare endpoint: reads the body, answers the same headers, bytes and trailers with no gRPC layer at all.
app.MapWhen(http => http.Connection.LocalPort == barePort, bare => bare.Run(async http =>
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
    http.Response.Headers["grpc-accept-encoding"] = "identity,gzip";
    await http.Response.BodyWriter.WriteAsync(response);
    http.Response.AppendTrailer("grpc-status", "0");
}));
app.MapGrpcHealth();
await app.RunAsync();
