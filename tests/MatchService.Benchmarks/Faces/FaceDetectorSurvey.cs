using System.Diagnostics;
using System.Drawing;
using System.Globalization;
using System.Text.Json;
using MatchService.Imaging;
using MatchService.Inference.Engine;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using MatchService.Server.Pipeline;
using MatchService.Vision;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MatchService.Benchmarks.Faces;

/// <summary>
/// `dotnet run -c Release --project tests/MatchService.Benchmarks -- faces [options]`: the face detectors side by side on
/// the same photos, each through the service's own FacePipeline (detector + the landmark check): recall of the 22
/// reference faces of face-api's sample photos (IoU ≥ 0.5 with the golden boxes), faces confirmed by the landmark check,
/// false faces on the labelled non-face set before and after the check, and the detector's CPU milliseconds per photo
/// (process CPU time over sequential detections, so ONNX Runtime's threads count).
/// </summary>
internal static class FaceDetectorSurvey
{
    private const string Usage = """
        faces [--models DIR] [--detector DIR]... [--fallback DIR] [--no-second-opinion] [--non-faces DIR] [--golden FILE] [--samples DIR] [--repeat N] [--decode-scaled] [--min-score S] [--verbose]
          --detector DIR   a detector model folder (default: DIR/face_detector and every face_detector* folder of DIR/alternatives)
          --fallback DIR   a face_detector_fallback model folder run after each detector (default: DIR/face_detector_fallback
                           after DIR/face_detector when no --detector is given)
          --no-second-opinion  the face path without the landmark check and descriptor length (the old default)
          --decode-scaled  decode JPEGs at the DCT scale the detector needs (else full resolution)
          --repeat N       timed passes over the sample photos (default 5)
          --min-score S    Faces:MinDetectorScore (default the service's)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var root = MatchService.Testing.RepositoryRoot.Path;
        var models = Path.Combine(root, "models");
        var detectors = new List<string>();
        string? fallback = null;
        var secondOpinion = true;
        var nonFaces = Path.Combine(root, "tests", "MatchService.EndToEnd.Tests", "Faces", "NonFaces");
        var golden = Path.Combine(root, "tests", "MatchService.ModelForge.Tests", "golden", "face-api-reference.json");
        var samples = Path.Combine(root, ".cache", "npm", "face-api-1.7.15", "package", "demo");
        var repeat = 5;
        var verbose = false;
        var scaled = false;
        var minScore = new FaceOptions().MinDetectorScore;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--models": models = Value(); break;
                case "--detector": detectors.Add(Value()); break;
                case "--fallback": fallback = Value(); break;
                case "--no-second-opinion": secondOpinion = false; break;
                case "--non-faces": nonFaces = Value(); break;
                case "--golden": golden = Value(); break;
                case "--samples": samples = Value(); break;
                case "--repeat": repeat = int.Parse(Value(), CultureInfo.InvariantCulture); break;
                case "--verbose": verbose = true; break;
                case "--decode-scaled": scaled = true; break;
                case "--min-score": minScore = float.Parse(Value(), CultureInfo.InvariantCulture); break;
                default:
                    await Console.Error.WriteLineAsync($"faces: unknown option {args[i]}\n{Usage}");
                    return 2;
            }
        }

        var setups = detectors.Select(d => (Detector: d, Fallback: fallback)).ToList();
        if (detectors.Count == 0)
        {
            var defaultFallback = Path.Combine(models, "face_detector_fallback");
            setups.Add((Path.Combine(models, "face_detector"), Directory.Exists(defaultFallback) ? defaultFallback : null));
            var alternates = Path.Combine(models, "alternatives");
            if (Directory.Exists(alternates))
            {
                setups.AddRange(Directory.GetDirectories(alternates, "face_detector*").Order(StringComparer.Ordinal).Select(d => (d, (string?)null)));
            }
        }

        var reference = LoadGolden(golden);
        var nonFaceFiles = Directory.GetFiles(nonFaces, "*.jpg").Order(StringComparer.Ordinal).ToList();
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores; {reference.Count} sample photos ({reference.Sum(r => r.Boxes.Count)} reference faces), {nonFaceFiles.Count} non-face images; decode: {(scaled ? "scaled to the detector" : "full resolution")}");
        Console.WriteLine($"second opinion: {(secondOpinion ? "on" : "off")}; min detector score {minScore}");
        Console.WriteLine("| detector | input | recall (IoU ≥ 0.5) | confirmed by landmarks | other boxes on samples | non-face images: detections | faces after the second opinion | detect CPU ms/photo | face path CPU ms/photo | face path wall ms/photo |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (detector, fallbackDetector) in setups)
        {
            await SurveyAsync(detector, fallbackDetector, models, reference, samples, nonFaceFiles, repeat, scaled, minScore, secondOpinion, verbose);
        }

        return 0;
    }

    private static async Task SurveyAsync(string detector, string? fallback, string models, List<GoldenPhoto> reference, string samples,
        List<string> nonFaces, int repeat, bool scaled, float minScore, bool secondOpinion, bool verbose)
    {
        var repo = Path.Combine(Path.GetTempPath(), $"match-face-survey-{Environment.ProcessId}-{Path.GetFileName(detector)}");
        Directory.CreateDirectory(repo);
        try
        {
            Link(Path.GetFullPath(detector), Path.Combine(repo, "face_detector"));
            if (fallback is not null)
            {
                Link(Path.GetFullPath(fallback), Path.Combine(repo, "face_detector_fallback"));
            }
            Link(Path.GetFullPath(Path.Combine(models, "face_landmarks")), Path.Combine(repo, "face_landmarks"));
            Link(Path.GetFullPath(Path.Combine(models, "face_recognition")), Path.Combine(repo, "face_recognition"));
            await using var host = new ModelHost(Options.Create(new PipelineOptions { ModelsPath = repo }), Options.Create(new InferenceEngineOptions()), NullLoggerFactory.Instance,
                Prometheus.Metrics.NewCustomRegistry());
            await host.StartAsync(CancellationToken.None);
            var faceOptions = new FaceOptions { MinDetectorScore = minScore };
            if (!secondOpinion)
            {
                faceOptions.LandmarkCheckEnabled = false;
                faceOptions.MinDescriptorLength = 0;
            }
            var pipeline = new FacePipeline(host, Options.Create(faceOptions));
            var input = pipeline.Models.DetectorSpec.Width;
            var decoder = new ImageDecoder();
            var request = scaled ? new DecodeRequest(input, input) : DecodeRequest.FullResolution;

            // Recall and the landmark check on the sample photos.
            int found = 0, confirmed = 0, total = 0, other = 0;
            var disagreements = new List<double>();
            foreach (var photo in reference)
            {
                using var decoded = decoder.Decode(await File.ReadAllBytesAsync(Path.Combine(samples, photo.File)), request, photo.File);
                var image = decoded.Image;
                var scale = image.Width / (double)photo.Width;
                var faces = await pipeline.DetectAsync(image, null, new StageClock(), CancellationToken.None);
                var matched = new HashSet<int>();
                foreach (var box in photo.Boxes)
                {
                    total++;
                    var target = new RectangleF((float)(box.X * scale), (float)(box.Y * scale), (float)(box.Width * scale), (float)(box.Height * scale));
                    var best = faces.Select((f, i) => (Iou: Iou(f.Box, target), Index: i)).OrderByDescending(t => t.Iou).FirstOrDefault();
                    if (faces.Count == 0 || best.Iou < 0.5)
                    {
                        if (verbose)
                        {
                            Console.WriteLine($"  missed {photo.File} face at {target} (best IoU {(faces.Count == 0 ? 0 : best.Iou):F2})");
                        }
                        if (verbose && faces.Count > 0 && best.Iou > 0.2)
                        {
                            var d = faces[best.Index].Box;
                            Console.WriteLine($"  framing {photo.File}: w {d.Width / target.Width:F2} h {d.Height / target.Height:F2} dx {(d.X + (d.Width / 2) - target.X - (target.Width / 2)) / target.Width:F2} dy {(d.Y + (d.Height / 2) - target.Y - (target.Height / 2)) / target.Height:F2}");
                        }
                        continue;
                    }

                    found++;
                    matched.Add(best.Index);
                    var check = await pipeline.CheckAsync(image, faces[best.Index], null, new StageClock(), CancellationToken.None);
                    disagreements.Add(check.Disagreement ?? 0);
                    confirmed += check.IsFace ? 1 : 0;
                    if (verbose)
                    {
                        var described = await pipeline.DescribeAsync(image, faces[best.Index].Box, faces[best.Index].Score, false, check.Landmarks, check.Disagreement, null, new StageClock(), CancellationToken.None);
                        Console.WriteLine($"  face {photo.File}: norm {Norm(described)}");
                    }
                    if (verbose && !check.IsFace)
                    {
                        Console.WriteLine($"  rejected {photo.File} face score {faces[best.Index].Score:F2} disagreement {check.Disagreement:F3}");
                    }
                }

                other += faces.Count - matched.Count;
            }

            // False faces on the non-face set, before and after the landmark check.
            int falseBefore = 0, falseAfter = 0;
            var falseDisagreements = new List<double>();
            foreach (var file in nonFaces)
            {
                using var decoded = decoder.Decode(await File.ReadAllBytesAsync(file), request, Path.GetFileName(file));
                var faces = await pipeline.DetectAsync(decoded.Image, null, new StageClock(), CancellationToken.None);
                if (faces.Count == 0 && fallback is not null)
                {
                    faces = await pipeline.DetectAsync(decoded.Image, null, new StageClock(), CancellationToken.None, fallback: true);
                }
                if (faces.Count == 0)
                {
                    continue;
                }

                falseBefore++;
                var search = await pipeline.AnalyzeAsync(decoded.Image, null, Path.GetFileName(file), null, new StageClock(), CancellationToken.None);
                falseAfter += search.Face is null ? 0 : 1;
                foreach (var f in faces.Take(new FaceOptions().MaxFaceCandidates))
                {
                    var check = await pipeline.CheckAsync(decoded.Image, f, null, new StageClock(), CancellationToken.None);
                    falseDisagreements.Add(check.Disagreement ?? 0);
                    if (verbose)
                    {
                        var described = await pipeline.DescribeAsync(decoded.Image, f.Box, f.Score, false, check.Landmarks, check.Disagreement, null, new StageClock(), CancellationToken.None);
                        Console.WriteLine($"  non-face {Path.GetFileName(file)}: score {f.Score:F2} box {f.Box.Width:F0}x{f.Box.Height:F0} disagreement {check.Disagreement:F3}{(check.IsFace ? " PASSES" : "")} norm {Norm(described)}");
                    }
                }
            }

            // Detection cost: decode outside the clock, detections one after another.
            var images = new List<DecodedImage>();
            try
            {
                foreach (var photo in reference)
                {
                    images.Add(decoder.Decode(await File.ReadAllBytesAsync(Path.Combine(samples, photo.File)), request, photo.File));
                }

                var process = Process.GetCurrentProcess();
                process.Refresh();
                var cpu = process.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                for (var r = 0; r < repeat; r++)
                {
                    foreach (var image in images)
                    {
                        await pipeline.DetectAsync(image.Image, null, new StageClock(), CancellationToken.None);
                    }
                }

                process.Refresh();
                var n = repeat * images.Count;
                var cpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / n;

                // The whole face path of one image (detection, fallback when needed, landmarks, second opinion, 6 embedder views).
                cpu = process.TotalProcessorTime;
                wall.Restart();
                for (var r = 0; r < repeat; r++)
                {
                    foreach (var image in images)
                    {
                        await pipeline.AnalyzeAsync(image.Image, null, "photo", null, new StageClock(), CancellationToken.None);
                    }
                }

                process.Refresh();
                var pathCpuMs = (process.TotalProcessorTime - cpu).TotalMilliseconds / n;
                var pathWallMs = wall.Elapsed.TotalMilliseconds / n;
                var name = Path.GetFileName(detector) + (fallback is null ? "" : $" + {Path.GetFileName(fallback)}");
                Console.WriteLine($"| {name} | {input} | {found}/{total} | {confirmed}/{total} | {other} | {falseBefore}/{nonFaces.Count} | {falseAfter}/{nonFaces.Count} | {cpuMs:F1} | {pathCpuMs:F1} | {pathWallMs:F1} |");
                if (verbose)
                {
                    Console.WriteLine($"  landmark disagreement: faces max {(disagreements.Count > 0 ? disagreements.Max() : 0):F3}, non-face detections min {(falseDisagreements.Count > 0 ? falseDisagreements.Min() : 0):F3}");
                }
            }
            finally
            {
                images.ForEach(i => i.Dispose());
            }
        }
        finally
        {
            Directory.Delete(repo, recursive: true);
        }
    }

    private static string Norm(AnalyzedFace face) =>
        $"{face.DescriptorLength:F3} view confidence {face.ViewConfidence:F3} evidence {face.Evidence?.Factor:F2}";

    private static void Link(string target, string link)
    {
        if (!File.Exists(Path.Combine(target, "config.json")))
        {
            throw new DirectoryNotFoundException($"{target} has no config.json (run scripts/forge-models.sh)");
        }
        Directory.CreateSymbolicLink(link, target);
    }

    private static double Iou(RectangleF a, RectangleF b)
    {
        var i = RectangleF.Intersect(a, b);
        if (i.IsEmpty)
        {
            return 0;
        }
        var inter = (double)i.Width * i.Height;
        return inter / ((a.Width * (double)a.Height) + (b.Width * (double)b.Height) - inter);
    }

    private static List<GoldenPhoto> LoadGolden(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        return doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => new GoldenPhoto(
            s.GetProperty("file").GetString()!,
            s.GetProperty("width").GetInt32(),
            s.GetProperty("faces").EnumerateArray().Select(f =>
            {
                var b = f.GetProperty("box");
                return new RectangleF(b.GetProperty("x").GetSingle(), b.GetProperty("y").GetSingle(), b.GetProperty("width").GetSingle(), b.GetProperty("height").GetSingle());
            }).ToList())).ToList();
    }

    private sealed record GoldenPhoto(string File, int Width, IReadOnlyList<RectangleF> Boxes);
}
