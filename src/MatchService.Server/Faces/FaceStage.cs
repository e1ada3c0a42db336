namespace MatchService.Server.Faces;

/// <summary>The face path's stage names in the <c>match-stage-ms</c> trailer.</summary>
internal static class FaceStage
{
    /// <summary>Image decoding.</summary>
    public const string Decode = "decode";

    /// <summary>Face detection (queue + compute).</summary>
    public const string Detect = "detect";

    /// <summary>68-point landmarks.</summary>
    public const string Landmarks = "landmarks";

    /// <summary>Embedding of the test-time views.</summary>
    public const string Embed = "embed";

    /// <summary>The method itself (seed 002 or 000 math).</summary>
    public const string Method = "method";
}
