namespace MatchService.ModelForge.Graph;

/// <summary>A value in the graph holding an NCHW feature map of known channel count and spatial size.</summary>
public readonly record struct FeatureMap(string Name, int Channels, int Height, int Width);

/// <summary>TensorFlow's two padding modes.</summary>
public enum TfPadding
{
    /// <summary>No padding; output = floor((in − k) / s) + 1.</summary>
    Valid,

    /// <summary>Output = ceil(in / s); the odd pixel of padding goes at the end (bottom/right), as TensorFlow does.</summary>
    Same,
}
