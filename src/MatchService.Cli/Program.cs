using System.CommandLine;
using MatchService.Cli.Commands;
using MatchService.Cli.Output;

// Tables and colour on a terminal; plain, unwrapped, colour-free text through a pipe or with NO_COLOR.
OutputConsole.Install();

// matchctl: one command per file under Commands/; add yours to this list.
var root = new RootCommand("matchctl — the command line of MatchService (gRPC inference: verify, compare, embed, rank).")
{
    HealthCommand.Create(),
    EmbedCommand.Create(),
    RankCommand.Create(),
    BenchCommand.Create(),
    ModelsCommand.Create(),
    CalibrateCommand.Create(),
    CompareCommand.Create(),
    VerifyCommand.Create(),
};
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // A command line that does not parse (a missing argument, an unknown option) is a bad argument like any other:
    // the errors on stderr, a pointer to the help (not the whole help in front of them), exit code 2.
    var command = parsed.CommandResult.Command == root ? "matchctl" : $"matchctl {parsed.CommandResult.Command.Name}";
    foreach (var error in parsed.Errors)
    {
        await Console.Error.WriteLineAsync($"{command}: {error.Message}");
    }

    await Console.Error.WriteLineAsync($"see '{command} --help'");
    return ExitCodes.BadArguments;
}

return await parsed.InvokeAsync();
