using System.CommandLine;
using System.Globalization;
using MatchService.Cli.Calibrate;
using MatchService.Contracts.V1;
using Grpc.Core;
using MatchService.Matching;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;
using Spectre.Console;

namespace MatchService.Cli.Commands;

/// <summary>
/// <c>matchctl calibrate DIR --model NAME</c>: reads X, Y and quality of every <c>DIR/identity/*.jpg</c> from the
/// running service, fits A and B (logistic regression on genuine and impostor pairs) and samples Verify's data model
/// (fused scores of genuine and impostor sets) with Matching's <see cref="CalibrationBuilder"/>, prints the EERs and
/// thresholds, and writes the calibration JSON the server loads (it re-reads the file when it changes).
/// </summary>
public static class CalibrateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var dir = new Argument<DirectoryInfo>("DIR") { Description = "Dataset: one folder per identity holding that person's face images (JPEG, PNG, WebP)." };
        var model = new Option<string?>("--model", "-m") { Description = "The face_embedder model to calibrate (default: the service's only one)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the file (default: models/<model>/calibration.json)." };
        var genuine = new Option<int>("--genuine-sets") { Description = "Genuine sets (one identity) to sample.", DefaultValueFactory = _ => 1000 };
        var impostor = new Option<int>("--impostor-sets") { Description = "Impostor sets (two or more identities) to sample.", DefaultValueFactory = _ => 1000 };
        var minSize = new Option<int>("--set-size-min") { Description = "Smallest set size N (>= 2).", DefaultValueFactory = _ => 2 };
        var maxSize = new Option<int>("--set-size-max") { Description = "Largest set size N.", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the sampling (same data and seed: same file).", DefaultValueFactory = _ => 1 };
        var uniform = new Option<bool>("--uniform") { Description = "Fuse sets with uniform weights (default: quality weights, as the service does)." };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Images analysed at once.", DefaultValueFactory = _ => 4 };
        var note = new Option<string?>("--note") { Description = "Text appended to the command line recorded in the file (e.g. how DIR was made)." };
        var command = new Command("calibrate", """
            Builds a face model's calibration file from labelled images: DIR/identity/*.jpg (at least two identities, some
            with two or more images). The service computes each image's feature, confidence and quality; A and B are fitted
            on all within-identity pairs and as many random cross-identity pairs, and Verify's data model holds the fused
            scores of sampled genuine and impostor sets of N in [min, max]. Prints the pair and set EERs with thresholds.
            Example: matchctl calibrate ./faces --model face_recognition -o models/face_recognition/calibration.json
            """) { dir, model, output, genuine, impostor, minSize, maxSize, seed, uniform, concurrency, note };
        command.WithConnectionOptions();
        command.SetAction(async (result, cancellationToken) =>
        {
            return await result.RunWithClientAsync("calibrate", async client =>
            {
                var console = AnsiConsole.Console;
                var root = result.GetValue(dir)!;
                var reader = new FaceFeatureReader(client, TimeSpan.FromSeconds(result.GetValue(CommonOptions.Timeout)));
                var embedder = await reader.FindEmbedderAsync(result.GetValue(model), cancellationToken);
                var images = FaceFeatureReader.List(root);
                if (images.Count == 0)
                {
                    Console.Error.WriteLine($"matchctl calibrate: no images under {root.FullName}/<identity>/");
                    return ExitCodes.BadArguments;
                }

                (IReadOnlyList<FaceRecord> Faces, IReadOnlyList<string> Skipped) read = ([], []);
                await console.Progress().AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask($"{images.Count} images", maxValue: images.Count);
                        read = await reader.ReadAsync(root, embedder, result.GetValue(concurrency), _ => task.Increment(1), cancellationToken);
                    });
                foreach (var s in read.Skipped)
                {
                    console.MarkupLineInterpolated($"[yellow]skipped[/] {s}");
                }

                var sampling = new CalibrationSamplingOptions
                {
                    GenuineSets = result.GetValue(genuine),
                    ImpostorSets = result.GetValue(impostor),
                    SetSizeMin = result.GetValue(minSize),
                    SetSizeMax = result.GetValue(maxSize),
                    Seed = result.GetValue(seed),
                    Weighting = result.GetValue(uniform) ? Weighting.Uniform : Weighting.Quality,
                };
                var commandLine = "matchctl " + string.Join(' ', Recorded(result.Tokens.Select(t => t.Value).ToList()));
                if (result.GetValue(note) is { Length: > 0 } n)
                {
                    commandLine += $" ({n})";
                }

                var file = Build(read.Faces, embedder, sampling, commandLine, DateTimeOffset.UtcNow);
                var path = result.GetValue(output)?.FullName ?? Path.Combine("models", embedder.Name, "calibration.json");
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
                await File.WriteAllTextAsync(path, CalibrationFileJson.Serialize(file), cancellationToken);
                Print(console, file, read.Faces, path);
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    /// <summary>
    /// The calibration file from (identity, X, Y, q) records: the one place that turns labelled faces into a file
    /// (Matching's <see cref="CalibrationBuilder"/>; the service's features are already normalised where the model says so).
    /// </summary>
    public static CalibrationFile Build(IReadOnlyList<FaceRecord> faces, EmbedderInfo embedder, CalibrationSamplingOptions sampling, string commandLine, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(faces);
        ArgumentNullException.ThrowIfNull(embedder);
        var metric = embedder.Metric == Metric.Cosine ? VectorMetric.Cosine : VectorMetric.Euclidean;
        var items = faces.Select(f => new IdentityEmbedding(f.Identity, f.Feature, f.Quality)).ToList();
        return CalibrationBuilder.Build(items, metric, sampling, new CalibrationProvenance(embedder.Name, embedder.Version, commandLine, created));
    }

    private static void Print(IAnsiConsole console, CalibrationFile file, IReadOnlyList<FaceRecord> faces, string path)
    {
        var identities = faces.Select(f => f.Identity).Distinct(StringComparer.Ordinal).Count();
        var table = new Table().Title($"calibration of {file.ModelName} {file.ModelVersion}").AddColumns("", "value");
        table.AddRow("faces / identities", $"{faces.Count} / {identities}");
        table.AddRow("pairs (genuine + impostor)", $"{file.GenuinePairs} + {file.ImpostorPairs}");
        table.AddRow("A, B (S = 1/(1+exp(A·D+B)))", F($"{file.A:G6}, {file.B:G6}"));
        table.AddRow("pair EER at D", F($"{file.PairEer:P2} at D = {file.PairEerThreshold:G4}"));
        table.AddRow("D where S = 0.5", F($"{-file.B / file.A:G4}"));
        table.AddRow("sets (genuine + impostor), N", F($"{file.GenuineScores.Count} + {file.ImpostorScores.Count}, N in [{file.SetSizeMin}, {file.SetSizeMax}], {file.Weighting}, seed {file.Seed}"));
        table.AddRow("fused EER at score", F($"{file.FusedEer:P2} at {file.FusedEerThreshold:G4}"));
        table.AddRow("written", Markup.Escape(path));
        console.Write(table);
    }

    private static string F(FormattableString text) => Markup.Escape(text.ToString(CultureInfo.InvariantCulture));

    // The tokens as typed, without --address/--token (where the service ran, a secret) and --note (appended apart).
    private static IEnumerable<string> Recorded(List<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is "--note" or "--address" or "-a" or "--token")
            {
                i++;
                continue;
            }

            yield return Quote(tokens[i]);
        }
    }

    private static string Quote(string token) => token.Contains(' ', StringComparison.Ordinal) ? $"\"{token}\"" : token;
}
