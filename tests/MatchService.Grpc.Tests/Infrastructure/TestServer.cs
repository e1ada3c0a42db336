using System.Collections.Concurrent;
using System.Net;
using MatchService.Grpc.Client;
using MatchService.Grpc.Health;
using MatchService.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MatchService.Grpc.Tests.Infrastructure;

/// <summary>A real Kestrel server on a dynamic loopback port serving Echo, health and reflection.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address, EchoService echo, LogSink logs)
    {
        _app = app;
        Address = address;
        Echo = echo;
        Logs = logs;
    }

    public Uri Address { get; }

    public EchoService Echo { get; }

    public LogSink Logs { get; }

    public IServiceProvider Services => _app.Services;

    public HealthStatusRegistry Health => _app.Services.GetRequiredService<HealthStatusRegistry>();

    public static async Task<TestServer> StartAsync(Action<GrpcServerOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        var logs = new LogSink();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
            k.Limits.Http2.MaxStreamsPerConnection = 200;
        });
        builder.Services.AddGrpcServer(configure);
        builder.Services.AddGrpcHealthAndReflection();
        var echo = new EchoService();
        var app = builder.Build();
        app.MapGrpcService(EchoService.Descriptor, echo.Bind);
        app.MapGrpcHealth();
        app.MapGrpcReflection();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address), echo, logs);
    }

    public GrpcChannel CreateChannel(GrpcChannelOptions? options = null) => GrpcChannel.ForAddress(Address, options);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Collects log lines so tests can check that bad input is logged.</summary>
public sealed class LogSink : ILoggerProvider
{
    public ConcurrentQueue<(LogLevel Level, string Category, string Message)> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public bool Contains(LogLevel level, string fragment) =>
        Lines.Any(l => l.Level == level && l.Message.Contains(fragment, StringComparison.Ordinal));

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Lines.Enqueue((logLevel, category, formatter(state, exception)));
    }
}
