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
/// <c>matchctl rank query.jpg --candidates DIR</c> (DIR/category/*.jpg): ranks the candidates against the query
/// (RankCandidates, seed 003) and prints the intent, each region's ordered results and what each filter dropped.
/// <c>--random-embeddings N</c> adds N random unit embeddings as inline candidates; <c>--bench-seconds</c> repeats the
/// call and prints calls per second and the share of each server stage.
/// </summary>
public static class RankCommand
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".webp"];

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "The query photo (JPEG, PNG or WebP)." };
        var candidates = new Option<string?>("--candidates", "-c") { Description = "Folder of candidates: DIR/<category>/<id>.jpg (id = file name)." };
        var minRank = new Option<float?>("--min-rank") { Description = "Minimum rank value r = 2 − distance (server default 1.45, Products:MinRankValue)." };
        var maxInformation = new Option<float?>("--max-information") { Description = "E_max of the category filter (server default 2.0)." };
        var stream = new Option<bool>("--stream") { Description = "Send the candidates over RankCandidatesStream in chunks of 64." };
        var random = new Option<int>("--random-embeddings") { Description = "Add this many random unit embeddings as inline candidates (category 'random-<k % 5>')." };
        var dim = new Option<int>("--embedding-dim") { Description = "Dimension of --random-embeddings: the product model's (default ResNet18: 512; the descriptor alternative: 288).", DefaultValueFactory = _ => 512 };
        var json = new Option<bool>("--json") { Description = "Print the response as JSON instead of tables." };
        var benchSeconds = new Option<double>("--bench-seconds") { Description = "Benchmark: repeat the call for this long and print calls/s and stage shares." };
        var concurrency = new Option<int>("--concurrency") { Description = "Benchmark: calls at once.", DefaultValueFactory = _ => 1 };
        var command = new Command("rank", "Ranks candidate product images against a query photo (RankCandidates, seed 003).")
        {
            query, candidates, minRank, maxInformation, stream, random, dim, json, benchSeconds, concurrency,
        };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("rank", async client =>
            {
                var request = new RankRequest { Query = ResponsePrinting.ReadImage(new FileInfo(result.GetValue(query)!)) };
                if (result.GetValue(candidates) is { } dir)
                {
                    request.Candidates.AddRange(ReadCandidates(dir));
                }

                request.Candidates.AddRange(RandomCandidates(result.GetValue(random), result.GetValue(dim)));
                if (request.Candidates.Count == 0)
                {
                    // Ranking nothing would answer an empty list and exit 0: say what is missing instead.
                    throw new UsageException("nothing to rank: give --candidates DIR (DIR/<category>/<id>.jpg) or --random-embeddings N");
                }
                var options = new RankOptions();
                if (result.GetValue(minRank) is { } r)
                {
                    options.MinRankValue = r;
                }

                if (result.GetValue(maxInformation) is { } e)
                {
                    options.MaxInformationContent = e;
                }

                request.Options = options;
                var timeout = TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout));
                var useStream = result.GetValue(stream);
                if (result.GetValue(benchSeconds) is > 0 and var seconds)
                {
                    await BenchAsync(client, request, useStream, timeout, seconds, result.GetValue(concurrency), cancellationToken);
                    return ExitCodes.Ok;
                }

                var response = await CallAsync(client, request, useStream, timeout, null, cancellationToken);
                if (result.GetValue(json))
                {
                    Console.WriteLine(JsonFormatter.Default.Format(response));
                }
                else
                {
                    RankTables.Print(response);
                }

                return ExitCodes.Ok;
            }, maxAttempts: result.GetValue(benchSeconds) > 0 ? 1 : 4);
        });
        return command;
    }

    private static List<Candidate> ReadCandidates(string dir)
    {
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"--candidates {dir}: no such folder");
        }

        var found = Directory.GetDirectories(dir).Order(StringComparer.Ordinal)
            .SelectMany(category => Directory.GetFiles(category).Order(StringComparer.Ordinal)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Select(f => new Candidate { Id = Path.GetFileName(f), Category = Path.GetFileName(category), Image = ByteString.CopyFrom(File.ReadAllBytes(f)) }))
            .ToList();
        return found.Count > 0 ? found
            : throw new UsageException($"--candidates {dir}: no images in its category folders; expected {Path.Combine(dir, "<category>", "<id>.jpg")} ({string.Join(", ", ImageExtensions)})");
    }

    private static IEnumerable<Candidate> RandomCandidates(int count, int dim)
    {
        var rng = new Random(42);
        for (var k = 0; k < count; k++)
        {
            var values = Enumerable.Range(0, dim).Select(_ => (float)((rng.NextDouble() * 2) - 1)).ToArray();
            var norm = MathF.Sqrt(values.Sum(v => v * v));
            var vector = new Vector();
            vector.Values.AddRange(values.Select(v => v / norm));
            yield return new Candidate { Id = $"random-{k}", Category = $"random-{k % 5}", Embedding = vector };
        }
    }

    private static async Task<RankResponse> CallAsync(MatchConnection client, RankRequest request, bool useStream, TimeSpan timeout,
        StageTimes? stages, CancellationToken cancellationToken)
    {
        var options = MatchConnection.Deadline(timeout, cancellationToken);
        if (!useStream)
        {
            using var unary = client.Match.RankCandidatesAsync(request, options);
            var response = await unary.ResponseAsync;
            stages?.Add(unary.GetTrailers().GetValue(StageTrailer.Name));
            return response;
        }

        using var call = client.Match.RankCandidatesStream(options);
        await call.RequestStream.WriteAsync(new RankStreamRequest { Query = request.Query, Options = request.Options }, cancellationToken);
        foreach (var chunk in request.Candidates.Chunk(64))
        {
            var message = new RankStreamRequest();
            message.Candidates.AddRange(chunk);
            await call.RequestStream.WriteAsync(message, cancellationToken);
        }

        await call.RequestStream.CompleteAsync();
        var streamed = await call.ResponseAsync;
        stages?.Add(call.GetTrailers().GetValue(StageTrailer.Name));
        return streamed;
    }

    private static async Task BenchAsync(MatchConnection client, RankRequest request, bool useStream, TimeSpan timeout, double seconds, int concurrency,
        CancellationToken cancellationToken)
    {
        var stages = new StageTimes();
        var generator = new LoadGenerator();
        var load = await generator.RunAsync(
            token => CallAsync(client, request, useStream, timeout, stages, token),
            new LoadOptions { Concurrency = concurrency, Duration = TimeSpan.FromSeconds(seconds), WarmupCallsPerCaller = 1, CallTimeout = timeout },
            cancellationToken);
        generator.Print(load, string.Create(CultureInfo.InvariantCulture, $"RankCandidates: {request.Candidates.Count} candidates per call"));
        stages.Print(Spectre.Console.AnsiConsole.Console, "server stages (busy time)");
    }
}
