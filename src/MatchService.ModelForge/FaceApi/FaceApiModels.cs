using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.ModelForge.Weights;

namespace MatchService.ModelForge.FaceApi;

/// <summary>The converted face models (from @vladmandic/face-api 1.7.15's <c>model/</c> folder) and their configs.</summary>
public static class FaceApiModels
{
    /// <summary>Package and version the weights come from.</summary>
    public const string Package = "@vladmandic/face-api 1.7.15";

    /// <summary>dlib's mean RGB for the recognition and landmark nets.</summary>
    public static readonly IReadOnlyList<float> DlibMeanRgb = [122.782f, 117.001f, 104.298f];

    /// <summary>The activation ranges the int8 recognition net is quantized with (ModelForge's embedded resource).</summary>
    public const string RecognitionRangesResource = "face_recognition.activation-ranges.json";

    /// <summary>
    /// The face recognition net as served: dlib's 128-d descriptor with int8 weights and activations (QDQ, run by ONNX
    /// Runtime's int8 kernels), quantized from <see cref="FaceRecognitionFloat"/> with the committed activation ranges.
    /// </summary>
    public static ForgedModel FaceRecognition(string weightsDir) => new(
        "face_recognition",
        RecognitionConfig(
            $"dlib face descriptor (ResNet, 150x150 aligned face -> 128-d, not unit length) converted from {Package} and quantized to int8 " +
            "by ModelForge (QDQ: weights int8 per output channel, activations uint8 with ranges measured by the float net on the " +
            "aligned crops of the calibration photos, committed as " + RecognitionRangesResource + "); ONNX Runtime's CPU provider " +
            "runs it with int8 kernels, about 2.7x the float net's items per second on one core (README, The embedder). " +
            "The float net is models-alternatives/face_recognition_float. " + RecognitionUsage),
        () => Graph.QdqQuantizer.Quantize(
            FaceRecognitionNetWriter.Build(TfjsWeightMap.Load(weightsDir, FaceRecognitionNetWriter.WeightsName)),
            Graph.ActivationRanges.Embedded(RecognitionRangesResource).ToQuantizerRanges()));

    /// <summary>The face recognition net in float, as converted (checked against face-api's descriptors).</summary>
    public static ForgedModel FaceRecognitionFloat(string weightsDir, string name = "face_recognition_float") => new(
        name,
        RecognitionConfig(
            $"dlib face descriptor (ResNet, 150x150 aligned face -> 128-d, not unit length) converted from {Package}, in float " +
            "(the served face_recognition is its int8 quantization). " + RecognitionUsage),
        () => FaceRecognitionNetWriter.Build(TfjsWeightMap.Load(weightsDir, FaceRecognitionNetWriter.WeightsName)));

    private const string RecognitionUsage =
        "Input: face-api's crop (axis-aligned square around eyes and mouth, padded black to square, bilinear to 150x150), " +
        "normalised as in dlib: (rgb - mean) / 256 (face-api 1.7.15 itself divides by 255; the difference is negligible). " +
        "Compare with Euclidean distance. 0.6 is dlib's published threshold (LFW); on the sample photos the reference model " +
        "already puts some pairs of different people below 0.6, so the service's decision threshold must come from " +
        "calibration (matchctl calibrate) for the deployment's data, not from 0.6 alone.";

    private static ModelConfig RecognitionConfig(string description) => new()
    {
        Version = "1",
        File = "model.onnx",
        Role = ModelRole.FaceEmbedder,
        Source = ModelSource.Converted,
        Description = description,
        Input = Square(150, DlibMeanRgb, [256, 256, 256]),
        Outputs = [new OutputSpec("embedding", OutputMeaning.Embedding, 128)],
        Metric = DistanceMetric.Euclidean,
        Normalize = false,
        Threshold = 0.6,
        Batching = ForgedModel.Batching,
        Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
    };

    /// <summary>
    /// The SSD MobileNet v1 face detector (boxes decoded in the graph; NMS next to it) at <paramref name="inputSize"/>
    /// (face-api's 512, or a smaller multiple of 32 on a coarser anchor grid).
    /// </summary>
    public static ForgedModel FaceDetector(string weightsDir, int inputSize = SsdMobilenetV1Writer.InputSize, string name = "face_detector")
    {
        var anchors = SsdMobilenetV1Writer.AnchorCount(inputSize);
        return new(
            name,
            DetectorConfig(
                $"SSD MobileNet v1 face detector (WIDER FACE) converted from {Package}, anchor decoding inside the graph. " +
                $"Input: the image padded black at the bottom/right to a square, bilinear to {inputSize}x{inputSize}, (rgb - 127.5) / 127.5. " +
                $"Outputs: boxes [B,{anchors},4] (ymin, xmin, ymax, xmax relative to the padded square) and scores [B,{anchors}]; " +
                "non-maximum suppression (IoU 0.5, min confidence 0.5, at most 100) and the mapping to image pixels are done by " +
                "MatchService.Vision.SsdBoxDecoder. Good for frontal and moderately turned faces of 30 px and more; " +
                "small or heavily occluded faces are missed." +
                (inputSize == SsdMobilenetV1Writer.InputSize ? "" : $" At {inputSize} the anchors of face-api's 512 table sit on the coarser grid; faces below about {30 * 512 / inputSize} px of the image's long side are lost."),
                Square(inputSize, [127.5f, 127.5f, 127.5f], [127.5f, 127.5f, 127.5f]), anchors, maxBatch: 8),
            () => SsdMobilenetV1Writer.Build(TfjsWeightMap.Load(weightsDir, SsdMobilenetV1Writer.WeightsName), inputSize));
    }

    /// <summary>
    /// The SSD at 512 as the fallback detector: run only when the tiny face_detector's detections give no face, so that a
    /// face the cheap detector misses is still found (README, "Face detection").
    /// </summary>
    public static ForgedModel FallbackFaceDetector(string weightsDir)
    {
        var ssd = FaceDetector(weightsDir, SsdMobilenetV1Writer.InputSize, "face_detector_fallback");
        return ssd with
        {
            Config = ssd.Config with
            {
                Role = ModelRole.FaceDetectorFallback,
                Description = "Fallback face detector, run only when the face_detector (face-api's tiny detector) gives no face that passes the " +
                    "second opinion. " + ssd.Config.Description,
            },
        };
    }

    /// <summary>face-api's tiny face detector at <paramref name="inputSize"/>, with the SSD's output contract.</summary>
    public static ForgedModel TinyFaceDetector(string weightsDir, int inputSize, string name)
    {
        var anchors = TinyFaceDetectorWriter.AnchorCount(inputSize);
        return new(
            name,
            DetectorConfig(
                $"face-api's tiny face detector (Tiny-YOLOv2 with depthwise-separable convolutions, 5 anchors) converted from {Package}, " +
                $"YOLO box decoding inside the graph. Input: the image padded black at the bottom/right to a square, bilinear to {inputSize}x{inputSize}, " +
                "(rgb - [117.001, 114.697, 97.404]) / 255. " +
                $"Outputs: boxes [B,{anchors},4] (ymin, xmin, ymax, xmax relative to the padded square) and scores [B,{anchors}] " +
                "(sigmoid objectness); NMS and the mapping to image pixels by MatchService.Vision.SsdBoxDecoder. " +
                "face-api's own boxes are wider and lower than the SSD's; the graph re-frames them to the SSD's framing (TinyFaceDetectorWriter.Framing). Small faces are lost at small inputs.",
                Square(inputSize, TinyFaceDetectorWriter.MeanRgb, [255, 255, 255]), anchors, maxBatch: 8),
            () => TinyFaceDetectorWriter.Build(TfjsWeightMap.Load(weightsDir, TinyFaceDetectorWriter.WeightsName), inputSize));
    }

    /// <summary>
    /// The config of a face detector with the SSD's output contract: boxes [B,N,4] (ymin, xmin, ymax, xmax relative to the
    /// padded square) and scores [B,N] for <paramref name="anchors"/> = N.
    /// </summary>
    public static ModelConfig DetectorConfig(string description, InputSpec input, int anchors, int maxBatch) => new()
    {
        Version = "1",
        File = "model.onnx",
        Role = ModelRole.FaceDetector,
        Source = ModelSource.Converted,
        Description = description,
        Input = input,
        Outputs = [new OutputSpec("boxes", OutputMeaning.Boxes, anchors * 4), new OutputSpec("scores", OutputMeaning.Scores, anchors)],
        Batching = maxBatch == 1 ? ForgedModel.Batching with { MaxBatchSize = 1, PreferredBatchSizes = [1] } : ForgedModel.Batching with { MaxBatchSize = maxBatch, PreferredBatchSizes = [maxBatch / 2, maxBatch] },
        Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
    };

    /// <summary>A square NHWC RGB input, bilinear, with the given normalisation.</summary>
    public static InputSpec Square(int side, IReadOnlyList<float> mean, IReadOnlyList<float> std) => new()
    {
        Name = "input",
        Width = side,
        Height = side,
        Channels = 3,
        Layout = TensorLayout.Nhwc,
        Color = ChannelOrder.Rgb,
        Mean = mean,
        Std = std,
        Resize = ResizeKind.Bilinear,
    };

    /// <summary>The 68-point landmark net (used to place the recognition crop).</summary>
    public static ForgedModel FaceLandmarks(string weightsDir) => new(
        "face_landmarks",
        new ModelConfig
        {
            Version = "1",
            File = "model.onnx",
            Role = ModelRole.FaceLandmarks,
            Source = ModelSource.Converted,
            Description =
                $"68-point face landmark net converted from {Package}. Input: the detection box clipped to the image, padded " +
                "black to a centred square, bilinear to 112x112, (rgb - mean) / 255. Output: 136 values, x and y of each point " +
                "relative to the square input; MatchService.Vision.FaceLandmarks68 maps them to image pixels and " +
                "FaceCrop.EyesMouthSquare gives the recognition crop. Points are rough on profiles and occluded faces.",
            Input = new InputSpec
            {
                Name = "input",
                Width = FaceLandmark68NetWriter.InputSize,
                Height = FaceLandmark68NetWriter.InputSize,
                Channels = 3,
                Layout = TensorLayout.Nhwc,
                Color = ChannelOrder.Rgb,
                Mean = DlibMeanRgb,
                Std = [255, 255, 255],
                Resize = ResizeKind.Bilinear,
            },
            Outputs = [new OutputSpec("landmarks", OutputMeaning.Landmarks, 136)],
            Batching = ForgedModel.Batching,
            Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
        },
        () => FaceLandmark68NetWriter.Build(TfjsWeightMap.Load(weightsDir, FaceLandmark68NetWriter.WeightsName)));
}
