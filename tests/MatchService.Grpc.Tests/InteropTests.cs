using MatchService.Grpc.Tests.Infrastructure;
using MatchService.Testing;

namespace MatchService.Grpc.Tests;

/// <summary>
/// Our server against Google's C-core gRPC (Debian python3-grpcio, run with /usr/bin/python3): every call kind,
/// gzip, a deadline, a cancellation, an error status with trailers, health and reflection.
/// </summary>
public sealed class InteropTests
{
    [Fact]
    public async Task Python_grpcio_client_interoperates()
    {
        await using var server = await TestServer.StartAsync();
        server.Health.SetStatus("", global::Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving);
        var lines = await PythonScenarios.RunAsync(Path.Combine(AppContext.BaseDirectory, "interop", "echo_client.py"), TimeSpan.FromMinutes(2), null,
            server.Address.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Path.Combine(AppContext.BaseDirectory, "Protos"));

        Assert.Equal("OK py-ping from-python OK", lines["unary"]);
        Assert.Equal("OK 300", lines["unary_gzip"]);
        Assert.Equal("OK a,b,c 3", lines["client_stream"]);
        Assert.Equal("OK 0,1,2,3", lines["server_stream"]);
        Assert.Equal("OK x,y,z", lines["bidi"]);
        Assert.Equal("DEADLINE_EXCEEDED True", lines["deadline"]);
        Assert.Equal("cancelled=True", lines["cancel"]);
        Assert.Equal("NOT_FOUND no such thing: café 100% pushback=250", lines["error"]);
        Assert.Equal("UNIMPLEMENTED", lines["unknown_method"]);
        Assert.Equal("SERVING NOT_FOUND", lines["health"]);
        const string services = "grpc.health.v1.Health,grpc.reflection.v1.ServerReflection,grpc.reflection.v1alpha.ServerReflection,test.echo.v1.Echo";
        Assert.Equal($"OK {services} files=1", lines["reflection_v1"]);
        Assert.Equal($"OK {services} files=1", lines["reflection_v1alpha"]);

        // Server side: both the deadline and the cancellation reached the handler's token.
        Assert.Equal("cancelled", await server.Echo.Probe("py-deadline").Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("cancelled", await server.Echo.Probe("py-cancel").Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
