using System.Net.Sockets;
using System.Text.RegularExpressions;
using MatchService.Server.Hosting;
using MatchService.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MatchService.Server.Tests;

/// <summary>
/// The start-up log a person waits for (issue 17): "Ready" is logged when the gRPC port already accepts connections,
/// and it names the gRPC address and the metrics URL.
/// </summary>
public sealed partial class ReadyLineTests
{
    [Fact]
    public async Task Ready_is_logged_once_the_port_accepts_connections_and_names_the_grpc_and_metrics_addresses()
    {
        var log = new ReadyLog();
        var app = MatchServerHost.Build(["--Match:Port=0", "--Match:Metrics:Port=0", $"--Pipeline:ModelsPath={RunningServer.ModelsPath}"],
            b => b.Logging.AddProvider(log));
        await app.StartAsync();
        try
        {
            var (message, accepted) = await log.Ready.Task.WaitAsync(TimeSpan.FromMinutes(3));
            var grpc = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            var metrics = app.Services.GetRequiredService<MetricsListener>().Address!;
            Assert.Equal($"Ready: gRPC on {grpc} accepts calls (health SERVING); metrics on {metrics}metrics", message);
            Assert.True(accepted, "the ready line was logged before the gRPC port accepted a connection");
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [GeneratedRegex(@"gRPC on http://([\d.]+):(\d+)")]
    private static partial Regex GrpcAddress();

    /// <summary>
    /// Catches ServiceLifecycle's ready line and, while it is being logged, tries a TCP connection to the address it
    /// names: whether the port accepted at that moment.
    /// </summary>
    private sealed class ReadyLog : ILoggerProvider, ILogger
    {
        public TaskCompletionSource<(string Message, bool Accepted)> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ILogger CreateLogger(string categoryName) => categoryName == typeof(ServiceLifecycle).FullName ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (!message.StartsWith("Ready:", StringComparison.Ordinal))
            {
                return;
            }

            var match = GrpcAddress().Match(message);
            var accepted = false;
            if (match.Success)
            {
                using var tcp = new TcpClient();
                try
                {
                    tcp.Connect(match.Groups[1].Value, int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
                    accepted = true;
                }
                catch (SocketException)
                {
                }
            }

            Ready.TrySetResult((message, accepted));
        }

        public void Dispose()
        {
        }
    }
}
