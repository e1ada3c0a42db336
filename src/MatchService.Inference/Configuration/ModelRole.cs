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

/// <summary>How a CUDA instance's memory arena grows (ONNX Runtime's arena_extend_strategy).</summary>
public enum ArenaExtendStrategy
{
    /// <summary>Doubles (ONNX Runtime's default).</summary>
    NextPowerOfTwo,

    /// <summary>Grows by exactly what was asked for.</summary>
    SameAsRequested,
}
