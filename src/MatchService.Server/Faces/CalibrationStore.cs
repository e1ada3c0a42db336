using Grpc.Core;
using MatchService.Inference.Configuration;
using MatchService.Matching.Calibration;
using MatchService.Matching.Verify;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>
/// The face embedder's calibration file (A, B and Verify's data model), loaded at start and reloaded when its
/// timestamp or size changes, checked every <see cref="FaceOptions.CalibrationPollSeconds"/> by a timer. Polling is used
/// rather than a FileSystemWatcher because it also sees Kubernetes ConfigMap updates (an atomic symlink swap) and
/// network file systems. A file that fails to parse is logged and the previous one stays in force.
/// </summary>
internal sealed partial class CalibrationStore : IDisposable
{
    private readonly FaceOptions _options;
    private readonly ILogger _logger;
    private readonly Timer _timer;
    private readonly Lock _lock = new();
    private (DateTime Written, long Length) _stamp;
    private volatile LoadedCalibration? _current;

    /// <summary>Loads the file now and starts polling.</summary>
    public CalibrationStore(IOptions<FaceOptions> options, ILogger<CalibrationStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        Path = System.IO.Path.GetFullPath(_options.CalibrationPath);
        Poll();
        var period = TimeSpan.FromSeconds(Math.Max(0.1, _options.CalibrationPollSeconds));
        _timer = new Timer(_ => Poll(), null, period, period);
    }

    /// <summary>Absolute path of the file.</summary>
    public string Path { get; }

    /// <summary>The file in force, or null when none has loaded.</summary>
    public LoadedCalibration? Current => _current;

    /// <summary>How many times a file was (re)loaded.</summary>
    public int Loads { get; private set; }

    /// <summary>
    /// The curve and data model for <paramref name="embedder"/>: the file when it belongs to that model and version, else
    /// the configured fallback curve (no data model), else FAILED_PRECONDITION.
    /// </summary>
    public FaceCalibration For(ModelConfig embedder) =>
        Find(embedder, out var why) ?? throw NotCalibrated(embedder, why);

    /// <summary>Like <see cref="For"/>, but null (with the reason) when the model is not calibrated.</summary>
    public FaceCalibration? Find(ModelConfig embedder, out string why)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var current = _current;
        if (current is null)
        {
            why = $"no calibration file at {Path}";
        }
        else if (current.File.ModelName != embedder.Name || current.File.ModelVersion != embedder.Version)
        {
            why = $"{Path} is for model {current.File.ModelName} {current.File.ModelVersion}, not {embedder.Name} {embedder.Version}";
        }
        else
        {
            why = "";
            var name = System.IO.Path.GetFileName(Path);
            return new FaceCalibration(current.File.ToCurve(), current.File.ToDataModel(), current.File,
                $"calibration:{Path} ({current.File.GenuinePairs}+{current.File.ImpostorPairs} pairs, {current.File.GenuineScores.Count}+{current.File.ImpostorScores.Count} sets)", name);
        }

        if (_options.LogisticA is { } a && _options.LogisticB is { } b)
        {
            return new FaceCalibration(new LogisticSimilarity(a, b), null, null, $"configuration Faces:LogisticA/B ({why})", why);
        }

        return null;
    }

    /// <summary>The FAILED_PRECONDITION of an uncalibrated model.</summary>
    public static RpcException NotCalibrated(ModelConfig embedder, string why)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new RpcException(new Status(StatusCode.FailedPrecondition,
            $"model {embedder.Name} {embedder.Version} is not calibrated: {why}; build one with `matchctl calibrate DIR --model {embedder.Name}` (or set Faces:CalibrationPath)"));
    }

    /// <summary>Checks the file now (the timer calls it too); returns true when a new version was loaded.</summary>
    public bool Poll()
    {
        lock (_lock)
        {
            try
            {
                var info = new FileInfo(Path);
                if (!info.Exists)
                {
                    if (_stamp != default)
                    {
                        LogMissing(_logger, Path);
                        _stamp = default;
                    }

                    return false;
                }

                var stamp = (info.LastWriteTimeUtc, info.Length);
                if (stamp == _stamp)
                {
                    return false;
                }

                _stamp = stamp;
                var file = CalibrationFileJson.Deserialize(File.ReadAllText(Path));
                _current = new LoadedCalibration(file, stamp.LastWriteTimeUtc);
                Loads++;
                LogLoaded(_logger, Path, file.ModelName, file.ModelVersion, file.A, file.B, file.GenuineScores.Count, file.ImpostorScores.Count);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ArgumentException)
            {
                LogBad(_logger, e, Path);
                return false;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "calibration {Path} loaded: model {Model} {Version}, A={A}, B={B}, {Genuine} genuine and {Impostor} impostor sets")]
    private static partial void LogLoaded(ILogger logger, string path, string model, string version, double a, double b, int genuine, int impostor);

    [LoggerMessage(Level = LogLevel.Warning, Message = "calibration {Path} could not be read; the previous one (if any) stays in force")]
    private static partial void LogBad(ILogger logger, Exception error, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "calibration {Path} disappeared; the loaded one stays in force")]
    private static partial void LogMissing(ILogger logger, string path);
}

/// <summary>A parsed calibration file and when it was written.</summary>
internal sealed record LoadedCalibration(CalibrationFile File, DateTime Written);

/// <summary>What a face RPC uses: the curve, the data model (null without a file), and how to name the source.</summary>
/// <param name="Curve">A and B.</param>
/// <param name="DataModel">Verify's k-NN data model, or null (threshold decides).</param>
/// <param name="File">The file, or null.</param>
/// <param name="Source">For <c>logistic_source</c>.</param>
/// <param name="Name">File name, or why there is none.</param>
internal sealed record FaceCalibration(LogisticSimilarity Curve, VerifyDataModel? DataModel, CalibrationFile? File, string Source, string Name);
