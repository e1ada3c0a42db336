using MatchService.Cli.Connection;
using System.CommandLine;
using Grpc.Core;
using MatchService.Contracts.Client;

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

    /// <summary>--compress.</summary>
    public static Option<bool> Compress { get; } = new("--compress")
    {
        Description = "gzip the request messages (worth it for precomputed vectors on slow links; images barely shrink).",
    };

    /// <summary>--ca.</summary>
    public static Option<string?> CaCertificate { get; } = new("--ca")
    {
        Description = "PEM CA bundle that signed the server's certificate (https:// addresses), when the system does not trust it.",
    };

    /// <summary>Adds the shared options to a command.</summary>
    public static Command WithConnectionOptions(this Command command)
    {
        command.Options.Add(Address);
        command.Options.Add(Token);
        command.Options.Add(Timeout);
        command.Options.Add(Compress);
        command.Options.Add(CaCertificate);
        return command;
    }

    /// <summary>
    /// The client options for the parsed command line. <paramref name="maxAttempts"/> is 1 where refusals must be seen
    /// as they happen (bench); otherwise RESOURCE_EXHAUSTED and UNAVAILABLE are retried after the server's pushback.
    /// </summary>
    public static MatchServiceClientOptions ClientOptions(ParseResult result, int maxAttempts = 4) => new()
    {
        Address = result.GetValue(Address)!,
        BearerToken = result.GetValue(Token),
        CompressRequests = result.GetValue(Compress),
        CaCertificatePath = result.GetValue(CaCertificate),
        MaxAttempts = maxAttempts,
    };

    /// <summary>
    /// Runs a command's body with a client for the parsed options, the same way for every command: a failed call exits
    /// <see cref="ExitCodes.CallFailed"/> and bad input (a missing file or folder, a bad value) exits
    /// <see cref="ExitCodes.BadArguments"/>, each with one line on stderr naming the command and the reason.
    /// </summary>
    public static async Task<int> RunWithClientAsync(this ParseResult result, string command, Func<MatchConnection, Task<int>> body, int maxAttempts = 4)
    {
        ArgumentNullException.ThrowIfNull(body);
        MatchConnection client;
        try
        {
            client = new MatchConnection(ClientOptions(result, maxAttempts));
        }
        catch (Exception e) when (e is ArgumentException or UriFormatException or IOException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"matchctl {command}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        try
        {
            return await body(client).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            await Console.Error.WriteLineAsync($"matchctl {command}: {e.StatusCode}: {e.Status.Detail}").ConfigureAwait(false);
            return ExitCodes.CallFailed;
        }
        catch (Exception e) when (e is ArgumentException or IOException or FormatException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"matchctl {command}: {e.Message}").ConfigureAwait(false);
            return ExitCodes.BadArguments;
        }
        finally
        {
            client.Dispose();
        }
    }
}

/// <summary>Exit codes every command shares; a command's own outcomes (a verdict, NOT_SERVING) start at 3.</summary>
public static class ExitCodes
{
    /// <summary>Done (SAME, SERVING, all ready...).</summary>
    public const int Ok = 0;

    /// <summary>The call failed (the gRPC status and message are printed).</summary>
    public const int CallFailed = 1;

    /// <summary>Bad arguments: a file or folder that cannot be read, a value out of range.</summary>
    public const int BadArguments = 2;

    /// <summary>The first of the command-specific outcomes (DIFFERENT, NOT_SERVING, not all models ready, failed bench calls).</summary>
    public const int Outcome = 3;
}
