using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Engine;
using MatchService.Server.Pipeline;

namespace MatchService.Server.Persons;

/// <summary>Queues a <see cref="RegionInput"/> as the float32 or uint8 item the model takes.</summary>
internal static class RegionCalls
{
    public static Task<InferenceResult> RunAsync(ModelRunner model, RegionInput input, TimeSpan? timeout, CancellationToken cancellationToken) =>
        model.Config.Input.DType == InputDType.Uint8
            ? model.InferAsync((IByteBatchInput)input, timeout, cancellationToken)
            : model.InferAsync((IBatchInput)input, timeout, cancellationToken);
}
