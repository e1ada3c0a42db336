using Microsoft.Extensions.Options;

namespace MatchService.Server.Pipeline;

/// <summary>Checks section <c>Pipeline</c> at start and names each wrong setting with its key.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (string.IsNullOrWhiteSpace(options.ModelsPath))
        {
            errors.AddError("Pipeline:ModelsPath is empty; name the model repository (one folder per model).");
        }

        if (options.MaxImagePixels < 1)
        {
            errors.AddError($"Pipeline:MaxImagePixels {options.MaxImagePixels} must be ≥ 1.");
        }

        if (options.MaxImageBytes < 1)
        {
            errors.AddError($"Pipeline:MaxImageBytes {options.MaxImageBytes} must be ≥ 1.");
        }

        if (options.MaxDecodedPixelsInFlight < 0)
        {
            errors.AddError($"Pipeline:MaxDecodedPixelsInFlight {options.MaxDecodedPixelsInFlight} must be 0 (sized for the machine) or a number of pixels.");
        }

        if (!(options.ReleaseMemoryAfterIdleSeconds >= 0) || double.IsInfinity(options.ReleaseMemoryAfterIdleSeconds))
        {
            errors.AddError($"Pipeline:ReleaseMemoryAfterIdleSeconds {options.ReleaseMemoryAfterIdleSeconds} must be ≥ 0 (0 = never).");
        }

        if (options.ModelTimeoutMs < 0)
        {
            errors.AddError($"Pipeline:ModelTimeoutMs {options.ModelTimeoutMs} must be ≥ 0 (0 = each model's timeout_ms).");
        }

        return errors.Build();
    }
}
