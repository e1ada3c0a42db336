using MatchService.Cli.Connection;
using System.CommandLine;
using Grpc.Health.V1;
using Grpc.Core;

namespace MatchService.Cli.Commands;

/// <summary><c>matchctl health</c>: checks or watches the server's health.</summary>
public static class HealthCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var service = new Option<string>("--service", "-s")
        {
            Description = "Service name to check: \"\" (default) is the server as a whole, or match.v1.MatchService.",
            DefaultValueFactory = _ => "",
        };
        var watch = new Option<bool>("--watch", "-w") { Description = "Stream every status change until Ctrl+C." };
        var command = new Command("health", """
            Asks grpc.health.v1.Health for the serving status of a service name.
            Prints SERVING, NOT_SERVING or SERVICE_UNKNOWN. Exit code 0 for SERVING, 3 otherwise, 1 for a failed call,
            2 for bad arguments.
            """) { service, watch };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            var name = result.GetValue(service) ?? "";
            return await result.RunWithClientAsync("health", async client =>
            {
                if (!result.GetValue(watch))
                {
                    var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                    var status = (await client.Health.CheckAsync(new HealthCheckRequest { Service = name }, MatchConnection.Deadline(timeout, cancellationToken))).Status;
                    Console.WriteLine(Format(status));
                    return ExitCode(status);
                }

                using var call = client.Health.Watch(new HealthCheckRequest { Service = name }, new CallOptions(cancellationToken: cancellationToken));
                var last = HealthCheckResponse.Types.ServingStatus.Unknown;
                try
                {
                    await foreach (var change in call.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        last = change.Status;
                        Console.WriteLine($"{DateTime.Now:HH:mm:ss.fff} {Format(change.Status)}");
                    }
                }
                catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C ends a watch: the exit code is the last status seen.
                }
                return ExitCode(last);
            });
        });
        return command;
    }

    private static int ExitCode(HealthCheckResponse.Types.ServingStatus status) =>
        status == HealthCheckResponse.Types.ServingStatus.Serving ? ExitCodes.Ok : ExitCodes.Outcome;

    private static string Format(HealthCheckResponse.Types.ServingStatus status) => status switch
    {
        HealthCheckResponse.Types.ServingStatus.Serving => "SERVING",
        HealthCheckResponse.Types.ServingStatus.NotServing => "NOT_SERVING",
        HealthCheckResponse.Types.ServingStatus.ServiceUnknown => "SERVICE_UNKNOWN",
        _ => "UNKNOWN",
    };
}
