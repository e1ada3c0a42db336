using MatchService.Cli.Connection;
using System.Collections.Concurrent;
using System.Globalization;
using Google.Protobuf;
using MatchService.Contracts.V1;
using Grpc.Core;

namespace MatchService.Cli.Calibrate;

/// <summary>One labelled face as the service sees it: feature X, confidence Y and quality q.</summary>
/// <param name="Identity">The folder name.</param>
/// <param name="File">Path relative to the dataset folder.</param>
/// <param name="Feature">X.</param>
/// <param name="Confidence">Y (after the image-evidence factor).</param>
/// <param name="Quality">q of the face.</param>
public sealed record FaceRecord(string Identity, string File, float[] Feature, float[] Confidence, double Quality);

/// <summary>The face embedder a calibration is for, as ListModels describes it.</summary>
/// <param name="Name">Model name.</param>
/// <param name="Version">Model version.</param>
/// <param name="Metric">Its metric.</param>
/// <param name="Dimension">Embedding dimension d.</param>
public sealed record EmbedderInfo(string Name, string Version, Metric Metric, int Dimension);

/// <summary>
/// Reads X, Y and q of every image of a <c>DIR/identity/*.jpg</c> dataset from a running service. Each image goes
/// through CompareWithConfidence against a zero-confidence placeholder of the model's dimension: the server analyses
/// the image side only, C = 0 makes the answer UNDETERMINED (which needs no calibration, so an uncalibrated model can be
/// calibrated), and the response carries the side's vectors and face quality.
/// </summary>
public sealed class FaceFeatureReader(MatchConnection client, TimeSpan timeout)
{
    private static readonly string[] Extensions = [".JPG", ".JPEG", ".PNG", ".WEBP"];

    /// <summary>The images of the dataset as (identity, path), ordinal order.</summary>
    public static IReadOnlyList<(string Identity, FileInfo File)> List(DirectoryInfo root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException($"{root.FullName} does not exist; expected DIR/identity/*.jpg");
        }

        return root.EnumerateDirectories()
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .SelectMany(d => d.EnumerateFiles()
                .Where(f => Extensions.Contains(f.Extension.ToUpperInvariant()))
                .OrderBy(f => f.Name, StringComparer.Ordinal)
                .Select(f => (d.Name, f)))
            .ToList();
    }

    /// <summary>The face embedder named <paramref name="model"/> (or the only one when null), from ListModels.</summary>
    public async Task<EmbedderInfo> FindEmbedderAsync(string? model, CancellationToken cancellationToken)
    {
        var models = await client.Match.ListModelsAsync(new ListModelsRequest(), MatchConnection.Deadline(timeout, cancellationToken)).ConfigureAwait(false);
        var embedders = models.Models.Where(m => m.Role == "face_embedder").ToList();
        var chosen = model is null ? embedders.FirstOrDefault() : models.Models.FirstOrDefault(m => m.Name == model);
        if (chosen is null)
        {
            throw new ArgumentException(model is null
                ? "the service runs no face_embedder model"
                : $"the service runs no model '{model}' (it runs {string.Join(", ", models.Models.Select(m => m.Name))})");
        }

        if (chosen.Role != "face_embedder")
        {
            throw new ArgumentException($"model '{chosen.Name}' has role {chosen.Role}; calibrate is for the face_embedder ({string.Join(", ", embedders.Select(m => m.Name))})");
        }

        var dimension = chosen.EmbeddingDimension;
        if (dimension <= 0)
        {
            throw new ArgumentException($"model '{chosen.Name}' reports no embedding dimension");
        }

        return new EmbedderInfo(chosen.Name, chosen.Version, chosen.Metric, dimension);
    }

    /// <summary>
    /// Reads every image, <paramref name="concurrency"/> at a time; images without a face (FAILED_PRECONDITION) are
    /// listed in <c>Skipped</c> with the server's reason. <paramref name="progress"/> is told after each image.
    /// </summary>
    public async Task<(IReadOnlyList<FaceRecord> Faces, IReadOnlyList<string> Skipped)> ReadAsync(
        DirectoryInfo root, EmbedderInfo embedder, int concurrency, Action<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(embedder);
        var items = List(root);
        var placeholder = new FeatureWithConfidence { Model = new ModelRef { Name = embedder.Name, Version = embedder.Version } };
        placeholder.Feature.Add(new float[embedder.Dimension]);
        placeholder.Confidence.Add(new float[embedder.Dimension]);
        var results = new FaceRecord?[items.Count];
        var skipped = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var (identity, file) = items[i];
                var relative = Path.GetRelativePath(root.FullName, file.FullName);
                var request = new CompareRequest
                {
                    First = new CompareInput { Image = new Image { Id = relative, Data = ByteString.CopyFrom(await File.ReadAllBytesAsync(file.FullName, ct).ConfigureAwait(false)) } },
                    Second = new CompareInput { Precomputed = placeholder },
                };
                try
                {
                    var response = await client.Match.CompareWithConfidenceAsync(request, MatchConnection.Deadline(timeout, ct)).ConfigureAwait(false);
                    var side = response.First;
                    results[i] = new FaceRecord(identity, relative, [.. side.Vectors.Feature], [.. side.Vectors.Confidence], side.Face?.Quality ?? 1);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
                {
                    skipped.Add($"{relative}: {e.Status.Detail}");
                }

                progress?.Invoke(relative);
            }).ConfigureAwait(false);
        return (results.OfType<FaceRecord>().ToList(), skipped.Order(StringComparer.Ordinal).ToList());
    }
}
