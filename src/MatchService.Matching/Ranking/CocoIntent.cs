using System.Globalization;

namespace MatchService.Matching.Ranking;

/// <summary>How a COCO class counts towards a query's intent.</summary>
public enum CocoRole
{
    /// <summary>A person: apparel when the person dominates the photo, else part of the scene.</summary>
    Person,

    /// <summary>Worn or carried (backpack, umbrella, handbag, tie, suitcase): apparel next to a person, else a commodity.</summary>
    Accessory,

    /// <summary>Something one buys: vehicles, sports gear, tableware, food, furniture, electronics, appliances, indoor items.</summary>
    Commodity,

    /// <summary>Not a product: animals and street fixtures (traffic light, fire hydrant, stop sign, parking meter, bench).</summary>
    NonCommodity,
}

/// <summary>One object a COCO detector found in the query.</summary>
/// <param name="ClassIndex">COCO class index (0 = person … 79 = toothbrush).</param>
/// <param name="Score">Detector score in [0, 1].</param>
/// <param name="AreaShare">Share of the image its box covers, 0–1.</param>
public sealed record SceneObject(int ClassIndex, float Score, float AreaShare)
{
    /// <summary>The COCO class name.</summary>
    public string Label => CocoIntent.Label(ClassIndex);

    /// <summary>How the class counts.</summary>
    public CocoRole Role => CocoIntent.RoleOf(ClassIndex);
}

/// <summary>Thresholds of <see cref="CocoIntent"/>.</summary>
public sealed record CocoIntentOptions
{
    /// <summary>Objects scoring below this are not evidence.</summary>
    public float MinScore { get; init; } = 0.3f;

    /// <summary>Objects covering less of the image than this are background, not the subject.</summary>
    public float MinAreaShare { get; init; } = 0.01f;

    /// <summary>A person covering at least this share of the image makes a person-dominant (apparel) photo.</summary>
    public float DominantPersonShare { get; init; } = 0.15f;
}

/// <summary>
/// Seed 003's intent from a COCO detector's findings, by a fixed class table (<see cref="RoleOf"/>). Evidence: the
/// objects scoring at least <see cref="CocoIntentOptions.MinScore"/> and covering at least
/// <see cref="CocoIntentOptions.MinAreaShare"/>. Scores (apparel, other commodity, non-commodity):
/// apparel — the best dominant person (≥ <see cref="CocoIntentOptions.DominantPersonShare"/> of the image) or
/// accessory seen next to a person; other commodity — the best commodity, or accessory without a person; non-commodity
/// — the best non-commodity object or non-dominant person. Nothing found: other commodity at 0 (search, since a
/// product COCO does not know must not be skipped). The largest wins; ties go to apparel, then other commodity.
/// </summary>
public static class CocoIntent
{
    private static readonly string[] Names =
    [
        "person", "bicycle", "car", "motorcycle", "airplane", "bus", "train", "truck", "boat", "traffic light",
        "fire hydrant", "stop sign", "parking meter", "bench", "bird", "cat", "dog", "horse", "sheep", "cow",
        "elephant", "bear", "zebra", "giraffe", "backpack", "umbrella", "handbag", "tie", "suitcase", "frisbee",
        "skis", "snowboard", "sports ball", "kite", "baseball bat", "baseball glove", "skateboard", "surfboard", "tennis racket", "bottle",
        "wine glass", "cup", "fork", "knife", "spoon", "bowl", "banana", "apple", "sandwich", "orange",
        "broccoli", "carrot", "hot dog", "pizza", "donut", "cake", "chair", "couch", "potted plant", "bed",
        "dining table", "toilet", "tv", "laptop", "mouse", "remote", "keyboard", "cell phone", "microwave", "oven",
        "toaster", "sink", "refrigerator", "book", "clock", "vase", "scissors", "teddy bear", "hair drier", "toothbrush",
    ];

    /// <summary>Number of COCO classes.</summary>
    public static int ClassCount => Names.Length;

    /// <summary>The class name, or <c>class_&lt;index&gt;</c> outside 0..79.</summary>
    public static string Label(int index) => index >= 0 && index < Names.Length ? Names[index] : $"class_{index}";

    /// <summary>The table: person 0; accessories 24–28; animals 14–23 and street fixtures 9–13 non-commodity; all else commodity.</summary>
    public static CocoRole RoleOf(int index) => index switch
    {
        0 => CocoRole.Person,
        >= 24 and <= 28 => CocoRole.Accessory,
        >= 9 and <= 23 => CocoRole.NonCommodity,
        >= 1 and < 80 => CocoRole.Commodity,
        _ => CocoRole.NonCommodity,
    };

    /// <summary>The objects that count as evidence, strongest first.</summary>
    public static IReadOnlyList<SceneObject> Evidence(IEnumerable<SceneObject> found, CocoIntentOptions options)
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(options);
        return [.. found.Where(o => o.Score >= options.MinScore && o.AreaShare >= options.MinAreaShare).OrderByDescending(o => o.Score)];
    }

    /// <summary>The three intent scores (apparel, other commodity, non-commodity) and a sentence naming the deciding objects.</summary>
    public static (float[] Scores, string Reason) Decide(IReadOnlyList<SceneObject> evidence, CocoIntentOptions options)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(options);
        if (evidence.Count == 0)
        {
            return ([0f, 0f, 0f], "no COCO object found: searched as other commodity");
        }
        var personPresent = evidence.Any(o => o.Role == CocoRole.Person);
        bool IsApparel(SceneObject o) => (o.Role == CocoRole.Person && o.AreaShare >= options.DominantPersonShare) || (o.Role == CocoRole.Accessory && personPresent);
        bool IsCommodity(SceneObject o) => o.Role == CocoRole.Commodity || (o.Role == CocoRole.Accessory && !personPresent);
        var groups = new Func<SceneObject, bool>[] { IsApparel, IsCommodity, o => !IsApparel(o) && !IsCommodity(o) };
        var scores = groups.Select(g => evidence.Where(g).Select(o => o.Score).DefaultIfEmpty(0f).Max()).ToArray();
        var best = Array.IndexOf(scores, scores.Max());
        var deciding = evidence.First(groups[best]);
        var category = best switch { 0 => "apparel", 1 => "other commodity", _ => "non-commodity" };
        return (scores, string.Create(CultureInfo.InvariantCulture,
            $"{category}: {deciding.Label} {deciding.Score:0.00} covering {deciding.AreaShare:P0} of the image (of {evidence.Count} COCO objects found)"));
    }
}
