using MatchService.Cli.Connection;
using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using MatchService.Cli.Bench;
using MatchService.Contracts;
using MatchService.Contracts.V1;
using Grpc.Core;

namespace MatchService.Cli.Commands;

/// <summary>
/// <c>matchctl embed a.jpg b.jpg ...</c>: streams the images to EmbedPersons and prints each image's persons (box,
/// weights and why) as they arrive, then the summary's same-person groups and nearest neighbours. <c>--json</c> prints
/// the responses as JSON; <c>--bench-seconds</c> repeats the stream and prints images per second and the share of
/// each server stage.
/// </summary>
public static class EmbedCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var files = new Argument<string[]>("images") { Description = "JPEG, PNG or WebP files; each is one image of the stream (its file name is its id).", Arity = ArgumentArity.OneOrMore };
        var boxes = BoxOption.Create("person", "Repeat for more. Images without boxes use a person detector or the whole image.");
        var topN = new Option<int>("--top-n") { Description = "Nearest persons listed per person (0 = server default)." };
        var bound = new Option<float>("--bound") { Description = "Distance bound of reported pairs (0 = server default)." };
        var json = new Option<bool>("--json") { Description = "Print the responses as JSON instead of tables." };
        var benchSeconds = new Option<double>("--bench-seconds") { Description = "Benchmark: repeat the stream for this long and print images/s and stage shares." };
        var concurrency = new Option<int>("--concurrency") { Description = "Benchmark: streams at once.", DefaultValueFactory = _ => 1 };
        var command = new Command("embed", "Embeds every person of a stream of images (EmbedPersons, seed 001) and relates them across images.")
        {
            files, boxes, topN, bound, json, benchSeconds, concurrency,
        };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("embed", async client =>
            {
                var requests = BuildRequests(result.GetValue(files)!, result.GetValue(boxes) ?? [], result.GetValue(topN), result.GetValue(bound));
                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                if (result.GetValue(benchSeconds) is > 0 and var seconds)
                {
                    await BenchAsync(client, requests, timeout, seconds, result.GetValue(concurrency), cancellationToken);
                    return ExitCodes.Ok;
                }

                var (images, last) = await RunAsync(client, requests, timeout, null, cancellationToken);
                if (result.GetValue(json))
                {
                    Console.WriteLine($"[{string.Join(",\n", images.Append(last).Select(r => JsonFormatter.Default.Format(r)))}]");
                }
                else
                {
                    EmbedTables.Print(images.Select(i => i.Image).ToList(), last);
                }

                return ExitCodes.Ok;
            }, maxAttempts: result.GetValue(benchSeconds) > 0 ? 1 : 4);
        });
        return command;
    }

    private static List<EmbedRequest> BuildRequests(string[] paths, string[] boxes, int topN, float bound)
    {
        var byImage = BoxOption.Resolve(boxes, paths);
        var requests = paths.Select((path, i) =>
        {
            var item = new EmbedImage { Image = ResponsePrinting.ReadImage(new FileInfo(path)) };
            item.PersonBoxes.AddRange(byImage[i]);
            var request = new EmbedRequest();
            request.Images.Add(item);
            return request;
        }).ToList();
        requests[0].Options = new EmbedOptions { TopN = topN, DistanceBound = bound };
        return requests;
    }

    private static async Task<(List<EmbedResponse> Images, EmbedResponse Last)> RunAsync(MatchConnection client, List<EmbedRequest> requests,
        TimeSpan timeout, StageTimes? stages, CancellationToken cancellationToken)
    {
        using var call = client.Match.EmbedPersons(MatchConnection.Deadline(timeout, cancellationToken));
        var reading = ReadAllAsync(call.ResponseStream, cancellationToken);
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        var responses = await reading;
        stages?.Add(call.GetTrailers().GetValue(StageTrailer.Name));
        var last = responses.LastOrDefault(r => r.ResultCase == EmbedResponse.ResultOneofCase.Summary)
            ?? throw new RpcException(new Status(StatusCode.Internal, "the stream ended without a summary"));
        return (responses.Where(r => r.ResultCase == EmbedResponse.ResultOneofCase.Image).ToList(), last);
    }

    private static async Task<List<EmbedResponse>> ReadAllAsync(IAsyncStreamReader<EmbedResponse> reader, CancellationToken cancellationToken)
    {
        var all = new List<EmbedResponse>();
        await foreach (var response in reader.ReadAllAsync(cancellationToken))
        {
            all.Add(response);
        }

        return all;
    }

    private static async Task BenchAsync(MatchConnection client, List<EmbedRequest> requests, TimeSpan timeout, double seconds, int concurrency,
        CancellationToken cancellationToken)
    {
        var stages = new StageTimes();
        var generator = new LoadGenerator();
        var load = await generator.RunAsync(
            token => RunAsync(client, requests, timeout, stages, token),
            new LoadOptions { Concurrency = concurrency, Duration = TimeSpan.FromSeconds(seconds), WarmupCallsPerCaller = 1, CallTimeout = timeout },
            cancellationToken);
        generator.Print(load, $"EmbedPersons: streams of {requests.Count} images");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"images/s: {load.Throughput * requests.Count:F1}"));
        stages.Print(Spectre.Console.AnsiConsole.Console, "server stages (busy time, summed over concurrent items)");
    }
}
