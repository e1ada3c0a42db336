using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MatchService.Server.Faces;

/// <summary>
/// Wall time one call spent per stage (decode, detect, landmarks, embed, method), summed over its images. Sent back
/// in the <c>match-stage-ms</c> trailer so that benchmarks can split a call's latency without server access.
/// </summary>
public sealed class StageClock
{
    /// <summary>The trailer name.</summary>
    public const string TrailerName = "match-stage-ms";

    private readonly long[] _ticks = new long[Names.Length];

    /// <summary>Stage names in trailer order.</summary>
    public static readonly string[] Names = ["decode", "detect", "landmarks", "embed", "method"];

    /// <summary>Adds the time since <paramref name="startTimestamp"/> to <paramref name="stage"/>.</summary>
    public void Add(FaceStage stage, long startTimestamp) =>
        Interlocked.Add(ref _ticks[(int)stage], Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>e.g. <c>decode=1.20;detect=31.5;landmarks=2.1;embed=12.0;method=0.01</c>.</summary>
    public string Format()
    {
        var text = new StringBuilder();
        for (var i = 0; i < Names.Length; i++)
        {
            var ms = Interlocked.Read(ref _ticks[i]) * 1000.0 / Stopwatch.Frequency;
            text.Append(i == 0 ? "" : ";").Append(Names[i]).Append('=').Append(ms.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}

/// <summary>Stages of the face path.</summary>
public enum FaceStage
{
    /// <summary>Image decoding.</summary>
    Decode,

    /// <summary>Face detection (queue + compute).</summary>
    Detect,

    /// <summary>68-point landmarks.</summary>
    Landmarks,

    /// <summary>Embedding of the test-time views.</summary>
    Embed,

    /// <summary>The method itself (seed 002 or 000 math).</summary>
    Method,
}
