using MatchService.Cli.Connection;
using System.CommandLine;
using MatchService.Contracts.V1;
using Grpc.Core;
using Spectre.Console;
using static MatchService.Cli.Commands.ResponsePrinting;

namespace MatchService.Cli.Commands;

/// <summary><c>matchctl compare A.jpg B.jpg</c>: CompareWithConfidence on two images; the verdict and every figure.</summary>
public static class CompareCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var first = new Argument<FileInfo>("A") { Description = "First image (JPEG, PNG or WebP)." };
        var second = new Argument<FileInfo>("B") { Description = "Second image." };
        var json = new Option<bool>("--json") { Description = "Print the response as protobuf JSON instead of the table." };
        var coincidence = new Option<float?>("--coincidence-threshold") { Description = "Override T_c for this call." };
        var similarity = new Option<float?>("--similarity-threshold") { Description = "Override T_s for this call." };
        var command = new Command("compare", """
            Compares the most confident face of two images with per-dimension confidence (seed 002) and prints the verdict
            (SAME, DIFFERENT, UNDETERMINED), C, D, S, the thresholds, A/B and each face's box and quality.
            Exit code 0 for SAME, 3 for DIFFERENT, 4 for UNDETERMINED, 1 for a failed call, 2 for bad arguments.
            """) { first, second, json, coincidence, similarity };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("compare", async client =>
            {
                var request = new CompareRequest
                {
                    First = new CompareInput { Image = ReadImage(result.GetValue(first)!) },
                    Second = new CompareInput { Image = ReadImage(result.GetValue(second)!) },
                };
                if (result.GetValue(coincidence) is { } tc)
                {
                    request.CoincidenceThreshold = tc;
                }

                if (result.GetValue(similarity) is { } ts)
                {
                    request.SimilarityThreshold = ts;
                }

                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                var response = await client.Match.CompareWithConfidenceAsync(request, MatchConnection.Deadline(timeout, cancellationToken));
                if (result.GetValue(json))
                {
                    Console.Out.WriteLine(ToJson(response));
                }
                else
                {
                    Print(AnsiConsole.Console, response);
                }

                return ExitCode(response.Verdict);
            });
        });
        return command;
    }

    /// <summary>0 SAME, 3 DIFFERENT, 4 UNDETERMINED.</summary>
    public static int ExitCode(Verdict verdict) => verdict switch
    {
        Verdict.Same => ExitCodes.Ok,
        Verdict.Different => ExitCodes.Outcome,
        _ => ExitCodes.Outcome + 1,
    };

    private static void Print(IAnsiConsole console, CompareResponse r)
    {
        var t = r.Thresholds;
        var table = new Table().Title($"CompareWithConfidence: {VerdictMarkup(r.Verdict)}").AddColumns("", "value");
        table.AddRow("C = <Y1,Y2>/d", $"{F(r.Coincidence)} (T_c {F(t.CoincidenceThreshold, 2)})");
        table.AddRow("D (weighted squared distance)", r.HasDistance ? F(r.Distance, 4) : "- (C < T_c)");
        table.AddRow("S = 1/(1+exp(A·D+B))", r.HasSimilarity ? $"{F(r.Similarity)} (T_s {F(t.SimilarityThreshold, 2)})" : "- (no similarity claimed)");
        table.AddRow("A, B", Markup.Escape($"{F(t.LogisticA, 3)}, {F(t.LogisticB, 3)} from {t.LogisticSource}"));
        table.AddRow("tau, d", $"{F(t.Tau, 4)}, {r.Dimension}");
        table.AddRow("evidence ramps", $"detail {F(t.EvidenceSharpnessLow, 2)}->{F(t.EvidenceSharpnessHigh, 2)}, flat share {F(t.EvidenceFlatShareHigh, 2)}->{F(t.EvidenceFlatShareLow, 2)}{(t.EvidenceEnabled ? "" : " (off)")}");
        foreach (var (name, side) in new[] { ("first", r.First), ("second", r.Second) })
        {
            table.AddRow(Markup.Escape($"{name} '{side.ImageId}'"), Face(side.Face) + Markup.Escape($"; {side.Views} views"));
        }

        table.AddRow("model", Markup.Escape($"{r.Model.Name} {r.Model.Version}, detector {r.Detector.Name} {r.Detector.Version}"));
        console.Write(table);
    }
}
