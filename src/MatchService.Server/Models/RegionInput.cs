using MatchService.Imaging;
using MatchService.Imaging.Geometry;
using MatchService.Imaging.Tensors;
using MatchService.Inference.Batching;

namespace MatchService.Server.Models;

/// <summary>
/// One batch item: a box of an image (parts outside the image filled per <see cref="Border"/>), packed by Imaging's
/// <see cref="TensorPacker"/> straight into the item's slot of the engine's pooled batch buffer, resized and
/// normalised per the model's <see cref="TensorSpec"/>. The image must stay alive until the inference completes.
/// </summary>
internal sealed class RegionInput(RgbImage image, PixelBox region, BorderMode border, TensorSpec spec) : IBatchInput, IByteBatchInput
{
    /// <summary>The source image.</summary>
    public RgbImage Image { get; } = image;

    /// <summary>The box of it that becomes the model input.</summary>
    public PixelBox Region { get; } = region;

    /// <summary>How pixels outside the image are filled.</summary>
    public BorderMode Border { get; } = border;

    /// <summary>The model's input contract.</summary>
    public TensorSpec Spec { get; } = spec;

    /// <summary>The whole image.</summary>
    public static RegionInput Whole(RgbImage image, TensorSpec spec) => new(image, PixelBox.Of(image), BorderMode.Replicate, spec);

    /// <inheritdoc />
    public void WriteTo(Span<float> slot) => TensorPacker.Pack(Image, Region, Border, Spec, slot);

    /// <inheritdoc />
    public void WriteTo(Span<byte> slot) => TensorPacker.Pack(Image, Region, Border, Spec, slot);
}

/// <summary>Submits a <see cref="RegionInput"/> as float32 or uint8 item, whichever the model takes.</summary>
internal static class RegionInference
{
    /// <summary>Queues the region on <paramref name="model"/> and returns its outputs once its batch has run.</summary>
    public static Task<InferenceResult> InferRegionAsync(this Inference.Engine.ModelRunner model, RegionInput input, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Config.Input.DType == Imaging.Tensors.TensorElementType.UInt8
            ? model.InferAsync((IByteBatchInput)input, timeout, cancellationToken)
            : model.InferAsync((IBatchInput)input, timeout, cancellationToken);
    }
}
