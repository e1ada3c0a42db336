using MatchService.Imaging;
using MatchService.Matching.Vectors;
using MatchService.Matching.Verify;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.EndToEnd.Tests.Fixtures;

/// <summary>
/// A server calibrated the way <c>matchctl calibrate</c> does it, on the faces of samples 1–3 only (originals and
/// their changes, one identity per face), so that samples 4–6 are held out. The file is written after the server
/// started, so its loading also goes through the reload path.
/// </summary>
public sealed class CalibratedFaceServer : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("match-faces-").FullName;

    /// <summary>The running server (null when the models are missing: the tests skip).</summary>
    public MatchServer? Server { get; private set; }

    /// <summary>Faces of samples 1–6.</summary>
    public IReadOnlyList<SampleFace> Faces { get; private set; } = [];

    /// <summary>The calibration built on samples 1–3.</summary>
    public CalibrationFile? Calibration { get; private set; }

    /// <summary>Where it was written.</summary>
    public string CalibrationPath => Path.Combine(_dir, "calibration.json");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (RepoPaths.MissingModels() is not null)
        {
            return;
        }

        Server = await MatchServer.StartAsync(new Dictionary<string, string?> { ["Faces:CalibrationPath"] = CalibrationPath });
        var host = Server.Services.GetRequiredService<ModelHost>();
        await host.Ready;
        var pipeline = Server.Services.GetRequiredService<FacePipeline>();
        Faces = await FaceDataset.CutAsync(pipeline, [1, 2, 3, 4, 5, 6]);

        var items = new List<IdentityEmbedding>();
        var decoder = new ImageDecoder();
        var rule = new FaceQualityRule(pipeline.Models.EmbedderSpec.Width);
        foreach (var face in Faces.Where(f => f.Sample <= 3))
        {
            foreach (var bytes in face.Variants.Values.Prepend(face.Original))
            {
                using var decoded = decoder.Decode(bytes);
                var analysed = await pipeline.AnalyzeAsync(decoded.Image, null, face.Identity, null, new StageClock(), CancellationToken.None);
                if (analysed.Face is { } found)
                {
                    items.Add(new IdentityEmbedding(face.Identity, found.Feature.Feature.ToArray(), rule.Evaluate(found, face.Identity).Quality));
                }
            }
        }

        var embedder = pipeline.Models.Embedder.Config;
        Calibration = CalibrationBuilder.Build(items, VectorMetric.Euclidean, new CalibrationSamplingOptions(),
            new CalibrationProvenance(embedder.Name, embedder.Version, "tests: CalibratedFaceServer (samples 1-3)", DateTimeOffset.UtcNow));
        await File.WriteAllTextAsync(CalibrationPath, CalibrationFileJson.Serialize(Calibration));

        // scripts/make-face-calibration.sh: the dataset the shipped calibration is made from (matchctl calibrate DIR).
        if (Environment.GetEnvironmentVariable("MATCH_WRITE_FACE_DATASET") is { Length: > 0 } dataset)
        {
            foreach (var face in Faces.Where(f => f.Sample <= 3))
            {
                var folder = Directory.CreateDirectory(Path.Combine(dataset, face.Identity)).FullName;
                await File.WriteAllBytesAsync(Path.Combine(folder, "original.jpg"), face.Original);
                foreach (var (name, bytes) in face.Variants)
                {
                    await File.WriteAllBytesAsync(Path.Combine(folder, $"{name}.jpg"), bytes);
                }
            }
        }

        Server.Services.GetRequiredService<CalibrationStore>().Poll();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>Shares one calibrated server across the face test classes.</summary>
[CollectionDefinition(Name)]
public sealed class CalibratedFaceServerGroup : ICollectionFixture<CalibratedFaceServer>
{
    /// <summary>The collection name.</summary>
    public const string Name = "calibrated face server";
}
