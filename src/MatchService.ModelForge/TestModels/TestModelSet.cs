using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.ModelForge.Graph;

namespace MatchService.ModelForge.TestModels;

/// <summary>
/// Small generated models (config source "test") for the model-driven paths that have no default model, and two
/// differently shaped "drop-in" embedders (ArcFace-style 112x112 NCHW, OSNet-style 256x128 NCHW with ImageNet
/// mean/std) that show a model is swapped through config.json alone. Weights are seeded pseudo-random: the models are
/// deterministic and exercise shapes and plumbing, not accuracy. Written by <c>ModelForge --test-models DIR</c>.
/// </summary>
public static class TestModelSet
{
    /// <summary>Input dimension of the weight-adaptive net (the person_global feature).</summary>
    public const int WeightAdaptiveInput = 256;

    /// <summary>Intent classes, in logit order.</summary>
    public static readonly IReadOnlyList<string> IntentClasses = ["apparel", "other_commodity", "non_commodity"];

    /// <summary>All test models.</summary>
    public static IReadOnlyList<ForgedModel> All() =>
        [WeightAdaptive(), HeadShoulderLocator(), IntentClassifier(), GarmentDetector(), PersonDetector(), ArcFaceStyleEmbedder(), OsNetStyleEmbedder()];

    /// <summary>Two fully connected layers on f_g, sigmoid: w_g in (0, 1).</summary>
    public static ForgedModel WeightAdaptive() => new("weight_adaptive",
        TestConfig(ModelRole.WeightAdaptive, "Test weight-adaptive net: FC(256->16), ReLU, FC(16->1), sigmoid on the person_global feature; output w_g in (0,1).",
            new InputSpec { Name = "input", Dim = WeightAdaptiveInput }, [new OutputSpec("weights", OutputMeaning.Weights, 1)]),
        () =>
        {
            var rng = new SeededWeights(1);
            var g = new OnnxGraphBuilder("weight_adaptive");
            var x = g.Input("input", WeightAdaptiveInput);
            var h = g.Node("Relu", [Dense(g, rng, x, WeightAdaptiveInput, 16, 0.3f, "fc1")]);
            g.Output(g.Node("Sigmoid", [Dense(g, rng, h, 16, 1, 0.5f, "fc2")]), "weights", 1);
            return g.Build("MatchService.ModelForge", "test weight-adaptive net");
        });

    /// <summary>Head-shoulder box regression on a person crop: (x0, y0, x1, y1) relative, near the crop's top.</summary>
    public static ForgedModel HeadShoulderLocator() => new("head_shoulder_locator",
        TestConfig(ModelRole.HeadShoulderLocator, "Test head-shoulder locator: pooled colour -> FC -> sigmoid, box (x0, y0, x1, y1) relative to the 256x128 person crop, close to the top third.",
            Image(256, 128, TensorLayout.Nhwc), [new OutputSpec("boxes", OutputMeaning.Boxes, 4)]),
        () =>
        {
            var g = new OnnxGraphBuilder("head_shoulder_locator");
            var pooled = PooledColour(g, new TfLayerWriter(g).NhwcInput("input", 256, 128, 3));
            var box = BiasedSigmoid(g, new SeededWeights(2), pooled, 3, [0.15f, 0.0f, 0.85f, 0.35f], "box");
            g.Output(box, "boxes", 4);
            return g.Build("MatchService.ModelForge", "test head-shoulder locator");
        });

    /// <summary>Intent classifier: logits for apparel, other commodity, non-commodity.</summary>
    public static ForgedModel IntentClassifier() => new("intent_classifier",
        TestConfig(ModelRole.IntentClassifier, "Test intent classifier: logits [apparel, other_commodity, non_commodity] from 2x2 pooled colour of a 64x64 image.",
            Image(64, 64, TensorLayout.Nhwc), [new OutputSpec("logits", OutputMeaning.Logits, 3)]),
        () =>
        {
            var g = new OnnxGraphBuilder("intent_classifier");
            var x = new TfLayerWriter(g).NhwcInput("input", 64, 64, 3);
            var cells = g.Node("AveragePool", [x.Name], "cells", Attr.Ints("kernel_shape", 32, 32), Attr.Ints("strides", 32, 32));
            var flat = g.Node("Flatten", [cells], "flat", Attr.Count("axis", 1));
            g.Output(Dense(g, new SeededWeights(3), flat, 12, 3, 4f, "fc"), "logits", 3);
            return g.Build("MatchService.ModelForge", "test intent classifier");
        });

    /// <summary>Garment detector: four boxes (x0, y0, x1, y1 relative) and their scores.</summary>
    public static ForgedModel GarmentDetector() => new("garment_detector",
        TestConfig(ModelRole.GarmentDetector, "Test garment detector: 4 boxes [B,4,4] (x0, y0, x1, y1 relative: upper body, lower body, left, right) and scores [B,4].",
            Image(256, 256, TensorLayout.Nhwc), [new OutputSpec("boxes", OutputMeaning.Boxes, 16), new OutputSpec("scores", OutputMeaning.Scores, 4)]),
        () =>
        {
            var g = new OnnxGraphBuilder("garment_detector");
            var pooled = PooledColour(g, new TfLayerWriter(g).NhwcInput("input", 256, 256, 3));
            var rng = new SeededWeights(4);
            float[] layout = [0.2f, 0.1f, 0.8f, 0.5f, 0.2f, 0.5f, 0.8f, 0.95f, 0.05f, 0.2f, 0.5f, 0.9f, 0.5f, 0.2f, 0.95f, 0.9f];
            var boxes = BiasedSigmoid(g, rng, pooled, 3, layout, "boxes_flat");
            g.Output(g.Node("Reshape", [boxes, g.Int64s("box_shape", 0, 4, 4)], "garment_boxes"), "boxes", 4, 4);
            g.Output(g.Node("Sigmoid", [Dense(g, rng, pooled, 3, 4, 3f, "score_fc")], "garment_scores"), "scores", 4);
            return g.Build("MatchService.ModelForge", "test garment detector");
        });

    /// <summary>Person detector: three boxes (x0, y0, x1, y1 relative) — left half, right half, a small centre box — scored about 0.9, 0.85 and 0.1.</summary>
    public static ForgedModel PersonDetector() => new("person_detector",
        TestConfig(ModelRole.PersonDetector, "Test person detector: 3 boxes [B,3,4] (x0, y0, x1, y1 relative: left half, right half, centre) and scores [B,3] near 0.9, 0.85, 0.1.",
            Image(256, 256, TensorLayout.Nhwc), [new OutputSpec("boxes", OutputMeaning.Boxes, 12), new OutputSpec("scores", OutputMeaning.Scores, 3)]),
        () =>
        {
            var g = new OnnxGraphBuilder("person_detector");
            var pooled = PooledColour(g, new TfLayerWriter(g).NhwcInput("input", 256, 256, 3));
            var rng = new SeededWeights(7);
            float[] layout = [0.05f, 0.1f, 0.48f, 0.95f, 0.52f, 0.1f, 0.95f, 0.95f, 0.4f, 0.4f, 0.6f, 0.6f];
            var boxes = BiasedSigmoid(g, rng, pooled, 3, layout, "boxes_flat");
            g.Output(g.Node("Reshape", [boxes, g.Int64s("box_shape", 0, 3, 4)], "person_boxes"), "boxes", 3, 4);
            g.Output(BiasedSigmoid(g, rng, pooled, 3, [0.9f, 0.85f, 0.1f], "person_scores"), "scores", 3);
            return g.Build("MatchService.ModelForge", "test person detector");
        });

    /// <summary>An ArcFace-shaped face embedder: NCHW 112x112, (x − 127.5) / 127.5 outside, 512-d, cosine.</summary>
    public static ForgedModel ArcFaceStyleEmbedder() => new("arcface_style",
        TestConfig(ModelRole.FaceEmbedder, "Test stand-in with ArcFace's contract (112x112 NCHW, (x-127.5)/127.5, 512-d, cosine); a random projection, not a face model.",
            Image(112, 112, TensorLayout.Nchw) with { Mean = [127.5f, 127.5f, 127.5f], Std = [127.5f, 127.5f, 127.5f] },
            [new OutputSpec("embedding", OutputMeaning.Embedding, 512)]) with
        { Metric = DistanceMetric.Cosine, Normalize = true },
        () => ProjectionEmbedder("arcface_style", 112, 112, 8, 512, 5));

    /// <summary>An OSNet-shaped re-id embedder: NCHW 256x128 with ImageNet mean/std outside, 512-d.</summary>
    public static ForgedModel OsNetStyleEmbedder() => new("osnet_style",
        TestConfig(ModelRole.PersonGlobal, "Test stand-in with OSNet's contract (256x128 NCHW, ImageNet mean/std, 512-d, cosine); a random projection, not a re-id model.",
            Image(256, 128, TensorLayout.Nchw) with { Mean = [123.675f, 116.28f, 103.53f], Std = [58.395f, 57.12f, 57.375f] },
            [new OutputSpec("embedding", OutputMeaning.Embedding, 512)]) with
        { Metric = DistanceMetric.Cosine, Normalize = true },
        () => ProjectionEmbedder("osnet_style", 256, 128, 16, 512, 6));

    private static ModelConfig TestConfig(ModelRole role, string description, InputSpec input, IReadOnlyList<OutputSpec> outputs) => new()
    {
        Version = "test-1",
        File = "model.onnx",
        Role = role,
        Source = ModelSource.Test,
        Description = description,
        Input = input,
        Outputs = outputs,
        Batching = ForgedModel.Batching with { MaxBatchSize = 8, PreferredBatchSizes = [4, 8] },
        Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
    };

    private static InputSpec Image(int height, int width, TensorLayout layout) => new()
    {
        Name = "input",
        Width = width,
        Height = height,
        Channels = 3,
        Layout = layout,
        Color = ChannelOrder.Rgb,
        Mean = [0, 0, 0],
        Std = [255, 255, 255],
        Resize = ResizeKind.Bilinear,
    };

    /// <summary>NCHW input, average pooled, projected to <paramref name="dim"/>.</summary>
    private static Onnx.ModelProto ProjectionEmbedder(string name, int h, int w, int pool, int dim, ulong seed)
    {
        var g = new OnnxGraphBuilder(name);
        var x = g.Input("input", 3, h, w);
        var cells = g.Node("AveragePool", [x], "cells", Attr.Ints("kernel_shape", pool, pool), Attr.Ints("strides", pool, pool));
        var features = 3 * (h / pool) * (w / pool);
        var flat = g.Node("Flatten", [cells], "flat", Attr.Count("axis", 1));
        g.Output(Dense(g, new SeededWeights(seed), flat, features, dim, 1f / MathF.Sqrt(features), "projection"), "embedding", dim);
        return g.Build("MatchService.ModelForge", $"test {name} embedder");
    }

    private static string PooledColour(OnnxGraphBuilder g, FeatureMap x) =>
        g.Node("Flatten", [g.Node("GlobalAveragePool", [x.Name], "pooled")], "pooled_flat", Attr.Count("axis", 1));

    private static string Dense(OnnxGraphBuilder g, SeededWeights rng, string x, int inputs, int outputs, float scale, string hint) =>
        g.Node("Gemm", [x, g.Constant(hint + "_w", rng.Uniform(inputs * outputs, scale), inputs, outputs), g.Constant(hint + "_b", rng.Uniform(outputs, 0.1f), outputs)], hint);

    /// <summary>sigmoid(x·W + logit(target)) with small W: outputs near <paramref name="targets"/>, varying a little with the input.</summary>
    private static string BiasedSigmoid(OnnxGraphBuilder g, SeededWeights rng, string x, int inputs, float[] targets, string hint)
    {
        var bias = targets.Select(t => MathF.Log(Math.Clamp(t, 0.01f, 0.99f) / (1 - Math.Clamp(t, 0.01f, 0.99f)))).ToArray();
        var linear = g.Node("Gemm", [x, g.Constant(hint + "_w", rng.Uniform(inputs * targets.Length, 0.2f), inputs, targets.Length), g.Constant(hint + "_b", bias, targets.Length)], hint + "_linear");
        return g.Node("Sigmoid", [linear], hint);
    }
}
