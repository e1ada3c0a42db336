using Grpc.Health.V1;
using MatchService.Cli.Connection;
using System.CommandLine;
using Google.Protobuf;
using MatchService.Cli.Bench;
using MatchService.Contracts;
using MatchService.Contracts.V1;
using Grpc.Core;
using MatchService.Cli.Reports;

namespace MatchService.Cli.Commands;

/// <summary><c>matchctl bench</c>: closed-loop load against a running service, one RPC kind at a time.</summary>
public static class BenchCommand
{
    private static readonly string[] Rpcs = ["health", "compare", "verify", "embed", "rank"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var rpc = new Option<string>("--rpc", "-r")
        {
            Description = "What each call does: health | compare (two images) | verify (a set of --set-size images) | "
                + "embed (one image through EmbedPersons) | rank (one query against the other images as candidates).",
            DefaultValueFactory = _ => "compare",
        };
        rpc.AcceptOnlyFromAmong(Rpcs);
        var images = new Option<DirectoryInfo?>("--images", "-i")
        {
            Description = "Folder of JPEG/PNG/WebP images the calls cycle through (all but --rpc health need it).",
        };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Callers at once (closed loop).", DefaultValueFactory = _ => 8 };
        var duration = new Option<double>("--duration", "-d") { Description = "Seconds to run (ignored with --requests).", DefaultValueFactory = _ => 10 };
        var requests = new Option<long?>("--requests", "-n") { Description = "Stop after this many calls in all." };
        var rampUp = new Option<double>("--ramp-up")
        {
            Description = "Seconds over which the callers start, evenly spread (counted in --duration); 0 starts them all at once.",
            DefaultValueFactory = _ => 0,
        };
        var warmup = new Option<int>("--warmup") { Description = "Unmeasured calls per caller first.", DefaultValueFactory = _ => 1 };
        var setSize = new Option<int>("--set-size") { Description = "Images per Verify set.", DefaultValueFactory = _ => 4 };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the result as JSON to this file." };
        var report = Report.Option("the latency percentiles and calls per second over time");
        var command = new Command("bench", """
            Drives one RPC with N concurrent callers, each sending its next call when the last one ends, for a duration
            or a number of calls; prints calls per second and p50/p90/p99 latency, with live progress.
            Example: matchctl bench --rpc compare --images ./photos -c 32 -d 20 --json bench.json
            """) { rpc, images, concurrency, duration, rampUp, requests, warmup, setSize, json, report };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            var kind = result.GetValue(rpc)!;
            var reportFile = result.GetValue(report);
            var folder = result.GetValue(images);
            var files = folder is null ? [] : LoadImages(folder);
            if (kind != "health" && files.Count < 2)
            {
                Console.Error.WriteLine($"matchctl bench: --rpc {kind} needs --images with at least two images (found {files.Count})");
                return ExitCodes.BadArguments;
            }

            return await result.RunWithClientAsync("bench", async client =>
            {
                Report.CheckPath(reportFile);
                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                var stages = new StageTimes();
                var timeline = new BenchReport();
                var call = timeline.Record(CreateCall(client, kind, files, result.GetValue(setSize), timeout, stages));
                var options = new LoadOptions
                {
                    Concurrency = result.GetValue(concurrency),
                    Requests = result.GetValue(requests),
                    Duration = result.GetValue(requests) is null ? TimeSpan.FromSeconds(result.GetValue(duration)) : null,
                    RampUp = TimeSpan.FromSeconds(result.GetValue(rampUp)),
                    WarmupCallsPerCaller = result.GetValue(warmup),
                    CallTimeout = timeout,
                    JsonPath = result.GetValue(json)?.FullName,
                };
                var generator = new LoadGenerator();
                var measured = await generator.RunAsync(call, options, cancellationToken);
                var title = $"{kind} against {result.GetValue(CommonOptions.Address)}";
                generator.Print(measured, title);
                if (reportFile is not null)
                {
                    timeline.Build($"matchctl bench: {title}, {options.Concurrency} callers", measured).Save(reportFile);
                    Console.Error.WriteLine($"report: {reportFile.FullName}");
                }

                if (stages.Calls > 0)
                {
                    stages.Print(Spectre.Console.AnsiConsole.Console, "server stages (warm-up included)");
                }
                return measured.Failed == 0 ? ExitCodes.Ok : ExitCodes.Outcome;
            }, maxAttempts: 1); // every refusal counts as it happens
        });
        return command;
    }

    private static List<Image> LoadImages(DirectoryInfo folder) =>
        folder.EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => f.Extension.ToUpperInvariant() is ".JPG" or ".JPEG" or ".PNG" or ".WEBP")
            .OrderBy(f => f.FullName, StringComparer.Ordinal)
            .Select(f => new Image { Id = f.Name, Data = ByteString.CopyFrom(File.ReadAllBytes(f.FullName)) })
            .ToList();

    /// <summary>One call of the chosen kind; successive calls walk through the images.</summary>
    private static Func<CancellationToken, Task> CreateCall(MatchConnection client, string kind, List<Image> files, int setSize, TimeSpan timeout, StageTimes stages)
    {
        long next = -1;
        Image Pick() => files[(int)(Interlocked.Increment(ref next) % files.Count)];
        CallOptions Options(CancellationToken ct) => MatchConnection.Deadline(timeout, ct);

        return kind switch
        {
            "health" => async ct => await client.Health.CheckAsync(new HealthCheckRequest { Service = "" }, Options(ct)),
            "compare" => async ct =>
            {
                using var call = client.Match.CompareWithConfidenceAsync(new CompareRequest
                {
                    First = new CompareInput { Image = Pick() },
                    Second = new CompareInput { Image = Pick() },
                }, Options(ct));
                await call.ResponseAsync;
                stages.Add(call.GetTrailers().GetValue(StageTrailer.Name));
            }
            ,
            "verify" => async ct =>
            {
                using var call = client.Match.Verify(Options(ct));
                var request = new VerifyRequest();
                for (var i = 0; i < Math.Max(2, setSize); i++)
                {
                    request.Images.Add(new VerifyImage { Image = Pick() });
                }
                await call.RequestStream.WriteAsync(request, ct);
                await call.RequestStream.CompleteAsync();
                await call.ResponseAsync;
            }
            ,
            "embed" => async ct =>
            {
                using var call = client.Match.EmbedPersons(Options(ct));
                await call.RequestStream.WriteAsync(new EmbedRequest { Images = { new EmbedImage { Image = Pick() } } }, ct);
                await call.RequestStream.CompleteAsync();
                await foreach (var _ in call.ResponseStream.ReadAllAsync(ct))
                {
                }
            }
            ,
            "rank" => async ct =>
            {
                var query = Pick();
                var request = new RankRequest { Query = query };
                request.Candidates.AddRange(files.Where(f => f != query).Select(f => new Candidate { Id = f.Id, Category = "image", Image = f.Data }));
                await client.Match.RankCandidatesAsync(request, Options(ct));
            }
            ,
            _ => throw new ArgumentException($"unknown --rpc {kind}; one of {string.Join(", ", Rpcs)}"),
        };
    }
}
