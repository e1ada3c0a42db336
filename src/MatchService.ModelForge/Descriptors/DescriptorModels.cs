using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Configuration;

namespace MatchService.ModelForge.Descriptors;

/// <summary>The classical descriptor models for roles without public trained weights, with their configs.</summary>
public static class DescriptorModels
{
    private const string Baseline =
        "A classical, deterministic baseline (no training): soft colour histograms (chromaticity r, g and intensity) and a " +
        "coarse gradient-orientation histogram per cell, Hellinger-mapped and L2-normalised. It separates clearly different " +
        "clothing/objects and is stable under small shifts, rescaling and re-encoding; it does NOT recognise identity or " +
        "product instances the way a trained re-id/retrieval model does (same-coloured clothes or packaging look alike). " +
        "Replace it by pointing config.json at a trained model.";

    /// <summary>Person global feature: 8 horizontal stripes over a 256x128 person crop, 256-d.</summary>
    public static readonly StripeHistogramDescriptor PersonGlobalGraph = new("person_global", 256, 128, Rows: 8, Columns: 1);

    /// <summary>Head-shoulder feature: 4 stripes over a 128x128 crop, 128-d.</summary>
    public static readonly StripeHistogramDescriptor HeadShoulderGraph = new("person_head_shoulder", 128, 128, Rows: 4, Columns: 1);

    /// <summary>Product feature: a 3x3 grid over a 96x96 crop, 288-d.</summary>
    public static readonly StripeHistogramDescriptor ProductGraph = new("product_embedder", 96, 96, Rows: 3, Columns: 3);

    /// <summary>person_global.</summary>
    public static ForgedModel PersonGlobal() => Model("person_global", ModelRole.PersonGlobal, PersonGlobalGraph,
        "Person global feature over 8 horizontal stripes of a 256x128 person crop. " + Baseline);

    /// <summary>person_head_shoulder.</summary>
    public static ForgedModel HeadShoulder() => Model("person_head_shoulder", ModelRole.PersonHeadShoulder, HeadShoulderGraph,
        "Head-shoulder feature over 4 horizontal stripes of a 128x128 head-shoulder crop. " + Baseline);

    /// <summary>product_embedder.</summary>
    public static ForgedModel Product() => Model("product_embedder", ModelRole.ProductEmbedder, ProductGraph,
        "Product feature over a 3x3 grid of a 96x96 product crop (rank value r = 2 - L2 distance of unit vectors). " + Baseline);

    private static ForgedModel Model(string name, ModelRole role, StripeHistogramDescriptor graph, string description) => new(
        name,
        new ModelConfig
        {
            Version = "1",
            File = "model.onnx",
            Role = role,
            Source = ModelSource.Descriptor,
            Description = description,
            Input = new InputSpec
            {
                Name = "input",
                Width = graph.Width,
                Height = graph.Height,
                Channels = 3,
                Layout = TensorLayout.Nhwc,
                Color = ChannelOrder.Rgb,
                Mean = [0, 0, 0],
                Std = [255, 255, 255],
                Resize = ResizeKind.Area,
            },
            Outputs = [new OutputSpec("embedding", OutputMeaning.Embedding, graph.Dimension)],
            Metric = DistanceMetric.Euclidean,
            Normalize = true,
            Batching = ForgedModel.Batching,
            Instances = [new InstanceSpec(DeviceSpec.Cpu, 1)],
        },
        graph.Build);
}
