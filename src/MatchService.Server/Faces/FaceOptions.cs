namespace MatchService.Server.Faces;

/// <summary>Settings of the face RPCs (configuration section <c>Faces</c>); every response reports the values it used.</summary>
public sealed class FaceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Faces";

    /// <summary>Detector scores must exceed this for a face to count.</summary>
    public float MinDetectorScore { get; set; } = 0.5f;

    /// <summary>
    /// Calibration file of the face embedder (A, B and Verify's data model), written by <c>matchctl calibrate</c>.
    /// Relative paths are resolved against the current directory. Reloaded when it changes (polled, see
    /// <see cref="CalibrationPollSeconds"/>).
    /// </summary>
    public string CalibrationPath { get; set; } = "models/face_recognition/calibration.json";

    /// <summary>How often the calibration file's timestamp and size are checked for a change (polling works on every file
    /// system, including Kubernetes ConfigMap symlink swaps where change notifications are unreliable).</summary>
    public double CalibrationPollSeconds { get; set; } = 2;

    /// <summary>T_c: minimum degree of coincidence for CompareWithConfidence to claim a similarity.</summary>
    public double CoincidenceThreshold { get; set; } = 0.5;

    /// <summary>T_s: SAME when S is at least this.</summary>
    public double SimilarityThreshold { get; set; } = 0.5;

    /// <summary>τ of the test-time confidence relative to RMS(X) (used when <see cref="TauAbsolute"/> is 0).</summary>
    public double TauRelativeToRms { get; set; } = 0.5;

    /// <summary>Absolute τ in embedding units; 0 = use <see cref="TauRelativeToRms"/>.</summary>
    public double TauAbsolute { get; set; }

    /// <summary>Test-time views: include the mirrored face.</summary>
    public bool MirrorView { get; set; } = true;

    /// <summary>Test-time views: shift of the crop window in four directions, as a fraction of its side (0 = none).</summary>
    public double ShiftFraction { get; set; } = 0.03;

    /// <summary>Test-time views: extra scales of the crop window about its centre (e.g. 0.9, 1.1).</summary>
    public IList<double> Scales { get; } = [];

    /// <summary>Largest Verify set (N).</summary>
    public int MaxVerifyImages { get; set; } = 64;

    /// <summary>k of Verify's nearest-neighbour vote.</summary>
    public int NearestK { get; set; } = 15;

    /// <summary>Verify's decision threshold on the fused similarity when no calibration file is loaded.</summary>
    public double FallbackThreshold { get; set; } = 0.5;

    /// <summary>
    /// A of the similarity curve used only when no calibration file is loaded (then Verify's <see cref="FallbackThreshold"/>
    /// decides). Null (default): without a calibration file the face RPCs answer FAILED_PRECONDITION, since a curve must
    /// come from a fit, never a guess.
    /// </summary>
    public double? LogisticA { get; set; }

    /// <summary>B of the fallback curve (see <see cref="LogisticA"/>).</summary>
    public double? LogisticB { get; set; }
}
