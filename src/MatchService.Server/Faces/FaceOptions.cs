namespace MatchService.Server.Faces;

/// <summary>Settings of the face RPCs (configuration section <c>Faces</c>); every response reports the values it used.</summary>
public sealed class FaceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Faces";

    /// <summary>
    /// Detector scores must exceed this for a detection to be considered (face detector and fallback alike); each
    /// detection then has to pass the second opinion (landmark check, descriptor length).
    /// </summary>
    public float MinDetectorScore { get; set; } = 0.5f;

    /// <summary>
    /// Second opinion on every detection (not on a client's face_box): the landmark net runs on the box and on a window
    /// widened by <see cref="LandmarkCheckScale"/> and moved by <see cref="LandmarkCheckShift"/>; a detection whose
    /// landmarks move with the window (mean disagreement above <see cref="MaxLandmarkDisagreement"/> box sides) is not a face.
    /// </summary>
    public bool LandmarkCheckEnabled { get; set; } = true;

    /// <summary>Largest landmark disagreement (mean point distance between the two windows, in box sides) of a face.</summary>
    public double MaxLandmarkDisagreement { get; set; } = 0.1;

    /// <summary>Widening of the landmark check's second window about the box centre.</summary>
    public double LandmarkCheckScale { get; set; } = 1.2;

    /// <summary>Move of the landmark check's second window right and down, as a fraction of the box side.</summary>
    public double LandmarkCheckShift { get; set; } = 0.1;

    /// <summary>
    /// The embedder's own evidence: a detection whose feature X is shorter than this is not a face. dlib's descriptor
    /// (not unit length) gives the 22 faces of the sample photos lengths 1.39–1.50, their crops and changes 1.362 and up,
    /// and the non-faces that pass the landmark check (a drawn wizard, a cat) 1.31–1.34; the bound sits between
    /// (README, "A non-face is not a face"). 0 turns it off; set it to 0 for an embedder that normalises its output.
    /// </summary>
    public double MinDescriptorLength { get; set; } = 1.35;

    /// <summary>Detections tried, best first, until one passes the second opinion (landmark check, descriptor length).</summary>
    public int MaxFaceCandidates { get; set; } = 3;

    /// <summary>
    /// JPEGs with more pixels than this are decoded twice, both times scaled down in the DCT: once at the detector's size
    /// to find the faces, then at the smallest scale that keeps each candidate face at least twice the embedder's input
    /// side; the full-resolution image is never held (a 36 MP photo would take 108 MB). 0 turns it off.
    /// </summary>
    public long ScaledDecodeAbovePixels { get; set; } = 6_000_000;

    /// <summary>
    /// Admitted images the face chain works on at once (decode and models); the others wait their turn at its door.
    /// More than the models can batch adds memory and, on a small CPU, costs throughput. 0 = 8 × the processor count.
    /// </summary>
    public int MaxImagesInService { get; set; }

    /// <summary>
    /// Decide face calls at the face chain's door when their headers arrive instead of their first message bytes: a
    /// CompareWithConfidence counts as two images, a Verify as one. Refusals then go out before any byte of the message
    /// has arrived, also when a burst of uploads holds the first bytes back (README, "Overload and memory": with it off
    /// the refusals of a 200-caller run took up to a second). A comparison of precomputed vectors, which needs no model,
    /// should say so with the <c>match-inputs: vectors</c> header (<c>CallInputs</c>): it is then decided at its first
    /// bytes and never refused for load; without the header it is refused with the others while the door is full. The
    /// C# client library adds the header to such a comparison itself.
    /// </summary>
    public bool AdmitAtHeaders { get; set; } = true;

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

    /// <summary>
    /// Multiply Y by the image-evidence factor e of the aligned crop (Matching's <c>ImageEvidence</c>): a blurred or
    /// mostly covered face then has low confidence everywhere and CompareWithConfidence answers UNDETERMINED.
    /// </summary>
    public bool EvidenceEnabled { get; set; } = true;

    /// <summary>Cells per side of the grid in which flat (featureless) cells are counted.</summary>
    public int EvidenceGrid { get; set; } = 8;

    /// <summary>
    /// Side in pixels of the small copy whose loss measures detail (relative sharpness): 16 pixels for the whole crop keeps
    /// the outline and broad shading of a face and drops its eyes, nose and mouth.
    /// </summary>
    public int EvidenceDetailSide { get; set; } = 16;

    /// <summary>A cell is flat when its grey standard deviation is below this share of the whole crop's.</summary>
    public double FlatCellFraction { get; set; } = 0.1;

    /// <summary>Relative sharpness at or below which the sharpness term is 0 (default: the fitted value, see README).</summary>
    public double EvidenceSharpnessLow { get; set; } = Defaults.Sharpness.Low;

    /// <summary>Relative sharpness at or above which the sharpness term is 1.</summary>
    public double EvidenceSharpnessHigh { get; set; } = Defaults.Sharpness.High;

    /// <summary>Flat-cell share at or above which the coverage term is 0.</summary>
    public double EvidenceFlatShareLow { get; set; } = Defaults.Coverage.Low;

    /// <summary>Flat-cell share at or below which the coverage term is 1.</summary>
    public double EvidenceFlatShareHigh { get; set; } = Defaults.Coverage.High;

    /// <summary>The evidence ramps as Matching takes them.</summary>
    public Matching.Evidence.ImageEvidenceOptions EvidenceOptions => new()
    {
        Sharpness = new Matching.Evidence.EvidenceRamp(EvidenceSharpnessLow, EvidenceSharpnessHigh),
        Coverage = new Matching.Evidence.EvidenceRamp(EvidenceFlatShareLow, EvidenceFlatShareHigh, HigherIsBetter: false),
    };

    private static Matching.Evidence.ImageEvidenceOptions Defaults { get; } = new();

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
