using System.CommandLine;
using MatchService.Cli.Commands;

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
return await root.Parse(args).InvokeAsync();
