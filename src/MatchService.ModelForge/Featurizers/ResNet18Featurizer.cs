using Google.Protobuf;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;
using MatchService.ModelForge.Graph;
using Onnx;

namespace MatchService.ModelForge.Featurizers;

/// <summary>
/// ML.NET's ImageNet ResNet18 featurizer (NuGet <c>Microsoft.ML.DnnImageFeaturizer.ResNet18</c> 0.23.1, MIT; a CNTK
/// export) made servable: its preprocessing graph (RGB → BGR, minus a 224×224 mean image) is folded in as one Sub on
/// a BGR input, the fixed batch of 1 becomes symbolic, and the 512×1×1 average pool is flattened to a 512-d
/// <c>embedding</c>.
/// </summary>
public static class ResNet18Featurizer
{
    /// <summary>Package and version the weights come from.</summary>
    public const string Package = "Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1";

    /// <summary>The network's file inside the package folder.</summary>
    public const string ModelFile = "tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx";

    /// <summary>The preprocessing graph inside the package folder.</summary>
    public const string PreprocessFile = "tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx";

    private const string Description =
        "ResNet18 trained on ImageNet classification (ML.NET's DnnImageFeaturizer, " + Package + ", MIT; CNTK export), " +
        "the 512-d output of its global average pool. Input: the crop resized (bilinear) to 224x224, BGR 0-255; the " +
        "package's mean image (224x224 per pixel and channel) is subtracted inside the graph. A generic appearance " +
        "feature (object category, colour, texture, shape), not trained for person re-identification or product " +
        "instance retrieval: it separates different kinds of things far better than the colour descriptors, while two " +
        "people in similar clothes stay close. Compare unit-length vectors with cosine distance.";

    /// <summary>The featurizer as <paramref name="name"/> for <paramref name="role"/> (person_global, product_embedder).</summary>
    public static ForgedModel Model(string name, ModelRole role, string packageDir, string purpose) => new(
        name,
        new ModelConfig
        {
            Version = "1",
            File = "model.onnx",
            Role = role,
            Source = ModelSource.Converted,
            Description = purpose + " " + Description,
            Input = new InputSpec
            {
                Name = "input",
                Width = 224,
                Height = 224,
                Channels = 3,
                Layout = TensorLayout.Nchw,
                Color = ChannelOrder.Bgr,
                Mean = [0, 0, 0],
                Std = [1, 1, 1],
                Resize = ResizeKind.Bilinear,
            },
            Outputs = [new OutputSpec("embedding", OutputMeaning.Embedding, 512)],
            Metric = DistanceMetric.Cosine,
            Normalize = true,
            Batching = ForgedModel.Batching with { MaxBatchSize = 16, PreferredBatchSizes = [4, 8, 16] },
            Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
        },
        () => Build(packageDir));

    /// <summary>Reads the package's two graphs from <paramref name="packageDir"/> and writes the servable model.</summary>
    public static ModelProto Build(string packageDir)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(packageDir, ModelFile)));
        var prep = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(packageDir, PreprocessFile)));
        var graph = model.Graph;
        var networkInput = graph.Input.Single(i => graph.Initializer.All(t => t.Name != i.Name));
        var pooled = graph.Output.Single();

        // The preprocessing is Split(RGB) → Concat(B, G, R) → Sub(MeanImage): with a BGR input only the Sub is left.
        var ops = prep.Graph.Node.Select(n => n.OpType).ToArray();
        if (!ops.SequenceEqual(["Split", "Concat", "Sub"]))
        {
            throw new InvalidDataException($"{PreprocessFile}: expected Split, Concat, Sub; found {string.Join(", ", ops)}");
        }
        var mean = prep.Graph.Initializer.Single(t => t.Name == prep.Graph.Node[2].Input[1]).Clone();
        mean.Name = "mean_image_bgr";
        graph.Initializer.Add(mean);
        graph.Node.Insert(0, new NodeProto { OpType = "Sub", Name = "subtract_mean_image", Input = { "input", mean.Name }, Output = { networkInput.Name } });
        graph.Node.Add(new NodeProto { OpType = "Flatten", Name = "flatten_pool", Input = { pooled.Name }, Output = { "embedding" }, Attribute = { Attr.Count("axis", 1) } });

        graph.Input.Remove(networkInput);
        graph.Input.Insert(0, ImageValue("input", networkInput, 3, 224, 224));
        graph.Output.Clear();
        graph.Output.Add(ImageValue("embedding", pooled, 512));
        // Intermediate shapes were recorded for a batch of 1; ONNX Runtime infers them again.
        graph.ValueInfo.Clear();
        model.ProducerName = "MatchService.ModelForge (from " + Package + ")";
        model.DocString = "ResNet18 ImageNet featurizer, mean image folded in, symbolic batch, flattened 512-d output";
        return model;
    }

    private static ValueInfoProto ImageValue(string name, ValueInfoProto like, params long[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxGraphBuilder.BatchDim });
        foreach (var d in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = like.Type.TensorType.ElemType, Shape = shape } },
        };
    }
}
