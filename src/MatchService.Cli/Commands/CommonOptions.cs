using System.CommandLine;
using MatchService.Client;

namespace MatchService.Cli.Commands;

/// <summary>Options every command that talks to the server shares.</summary>
public static class CommonOptions
{
    /// <summary>--address.</summary>
    public static Option<string> Address { get; } = new("--address", "-a")
    {
        Description = "Server address: http://host:port for h2c, https://host:port for TLS.",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MATCH_ADDRESS") ?? "http://127.0.0.1:50051",
    };

    /// <summary>--token.</summary>
    public static Option<string?> Token { get; } = new("--token")
    {
        Description = "Bearer token sent as 'authorization: Bearer <token>' (default: $MATCH_TOKEN).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MATCH_TOKEN"),
    };

    /// <summary>--timeout.</summary>
    public static Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Deadline of each call in seconds (sent as grpc-timeout).",
        DefaultValueFactory = _ => 10,
    };

    /// <summary>Adds the shared options to a command.</summary>
    public static Command WithConnectionOptions(this Command command)
    {
        command.Options.Add(Address);
        command.Options.Add(Token);
        command.Options.Add(Timeout);
        return command;
    }

    /// <summary>A client for the parsed options.</summary>
    public static MatchServiceClient CreateClient(ParseResult result) =>
        MatchServiceClient.Create(result.GetValue(Address)!, result.GetValue(Token));
}
