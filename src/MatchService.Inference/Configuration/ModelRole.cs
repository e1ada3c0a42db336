namespace MatchService.Inference.Configuration;

/// <summary>What a model is for; pipelines ask the repository for a model by role.</summary>
public enum ModelRole
{
    FaceDetector,
    FaceLandmarks,
    FaceEmbedder,
    PersonDetector,
    PersonGlobal,
    PersonHeadShoulder,
    HeadShoulderLocator,
    WeightAdaptive,
    ProductEmbedder,
    IntentClassifier,
    GarmentDetector,

    /// <summary>A second face detector, run only when the face_detector's detections give no face (costlier, more thorough).</summary>
    FaceDetectorFallback,
}

/// <summary>What produced a model's weights.</summary>
public enum ModelSource
{
    Converted,
    Descriptor,
    Test,
    User,
}

/// <summary>Memory layout of an image input.</summary>
public enum TensorLayout
{
    Nhwc,
    Nchw,
}

/// <summary>Channel order of an image input.</summary>
public enum ColorOrder
{
    Rgb,
    Bgr,
}

/// <summary>Element type of a model input.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are the schema's dtype words.")]
public enum InputDType
{
    /// <summary>32-bit floats, normalised outside the graph with mean/std.</summary>
    Float32,

    /// <summary>Raw 0-255 bytes; normalisation happens inside the graph.</summary>
    Uint8,
}

/// <summary>How crops are scaled to the input size.</summary>
public enum ResizeMode
{
    Bilinear,
    Area,
}

/// <summary>What an output means to the pipelines.</summary>
public enum OutputMeaning
{
    Embedding,
    Confidence,
    Boxes,
    Scores,
    Landmarks,
    Logits,
    Weights,
}

/// <summary>How embeddings are compared.</summary>
public enum DistanceMetric
{
    Euclidean,
    Cosine,
}
