using MatchService.Cli.Connection;
using System.CommandLine;
using MatchService.Contracts.V1;
using Grpc.Core;
using Spectre.Console;
using static MatchService.Cli.Commands.ResponsePrinting;

namespace MatchService.Cli.Commands;

/// <summary><c>matchctl verify *.jpg</c>: Verify on a set of images; per image, the pairs, the fusion and the data model.</summary>
public static class VerifyCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("IMAGES") { Description = "Two or more images of the person (JPEG, PNG or WebP).", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print the response as protobuf JSON instead of the tables." };
        var uniform = new Option<bool>("--uniform") { Description = "Weigh every pair equally (default: by quality)." };
        var ignore = new Option<bool>("--ignore-faceless") { Description = "Leave out images without a face instead of failing." };
        var k = new Option<int>("--k") { Description = "Nearest calibration sets that vote (0: the server's)." };
        var command = new Command("verify", """
            Streams the images as one set to Verify (seed 000) and prints the verdict, each image's face and quality, the
            pairwise similarities and weights, the fused similarity, and the k nearest calibration sets with percentiles.
            Exit code 0 for SAME, 3 for DIFFERENT, 4 for UNDETERMINED, 1 for a failed call, 2 for bad arguments.
            """) { files, json, uniform, ignore, k };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("verify", async client =>
            {
                var images = result.GetValue(files)!.Select(ReadImage).ToList();
                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                using var call = client.Match.Verify(MatchConnection.Deadline(timeout, cancellationToken));
                var options = new Contracts.V1.VerifyOptions
                {
                    Fusion = result.GetValue(uniform) ? FusionStrategy.Uniform : FusionStrategy.Quality,
                    IgnoreFacelessImages = result.GetValue(ignore),
                    NearestK = result.GetValue(k),
                };

                // One image per message: the server starts each image's analysis as it arrives.
                for (var i = 0; i < images.Count; i++)
                {
                    var message = new VerifyRequest { Images = { new VerifyImage { Image = images[i] } } };
                    if (i == 0)
                    {
                        message.Options = options;
                    }

                    await call.RequestStream.WriteAsync(message, cancellationToken);
                }

                await call.RequestStream.CompleteAsync();
                var response = await call.ResponseAsync;
                if (result.GetValue(json))
                {
                    Console.Out.WriteLine(ToJson(response));
                }
                else
                {
                    Print(AnsiConsole.Console, response);
                }

                return CompareCommand.ExitCode(response.Verdict);
            });
        });
        return command;
    }

    private static void Print(IAnsiConsole console, VerifyResponse r)
    {
        var images = new Table().Title($"Verify: {VerdictMarkup(r.Verdict)}, fused similarity {F(r.FusedSimilarity)} ({r.Fusion})").AddColumns("#", "image", "face and quality", "weight share", "reason");
        foreach (var i in r.Images)
        {
            images.AddRow(i.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(i.ImageId), i.Excluded ? "[yellow]excluded[/]" : Face(i.Face), F(i.WeightShare), Markup.Escape(i.Reason));
        }

        console.Write(images);
        var pairs = new Table().Title("pairs").AddColumns("i", "j", "similarity", "weight");
        foreach (var p in r.Pairs)
        {
            pairs.AddRow(p.First.ToString(System.Globalization.CultureInfo.InvariantCulture), p.Second.ToString(System.Globalization.CultureInfo.InvariantCulture), F(p.Similarity, 4), F(p.Weight, 4));
        }

        console.Write(pairs);
        var d = r.DataModel;
        var model = new Table().Title("data model").AddColumns("", "value");
        model.AddRow("decided by", Markup.Escape(d.Explanation));
        if (d.Calibrated)
        {
            model.AddRow("votes", $"{d.GenuineVotes} genuine of k = {d.K}");
            model.AddRow("percentile", $"{F(d.GenuinePercentile, 1)} among genuine, {F(d.ImpostorPercentile, 1)} among impostor sets");
            model.AddRow("neighbours", string.Join(", ", d.Neighbours.Select(n => $"{F(n.Score, 4)}{(n.Genuine ? "g" : "i")}")));
        }
        else
        {
            model.AddRow("threshold", F(d.Threshold));
        }

        model.AddRow("model", Markup.Escape($"{r.Model.Name} {r.Model.Version}, detector {r.Detector.Name} {r.Detector.Version}"));
        console.Write(model);
    }
}
