using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>Checks section <c>Faces</c> at start and names each wrong setting with its key.</summary>
internal sealed class FaceOptionsValidator : IValidateOptions<FaceOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, FaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        if (options.MaxFaceCandidates < 1)
        {
            errors.AddError($"Faces:MaxFaceCandidates must be at least 1 (got {options.MaxFaceCandidates}).");
        }

        if (options.ScaledDecodeAbovePixels < 0)
        {
            errors.AddError($"Faces:ScaledDecodeAbovePixels must be at least 0, 0 = off (got {options.ScaledDecodeAbovePixels}).");
        }

        if (options.MaxImagesInService < 0)
        {
            errors.AddError($"Faces:MaxImagesInService must be at least 0, 0 = 8 x the processor count (got {options.MaxImagesInService}).");
        }

        if (!(options.MaxLandmarkDisagreement > 0))
        {
            errors.AddError($"Faces:MaxLandmarkDisagreement must be above 0 box sides (got {options.MaxLandmarkDisagreement}).");
        }

        // The second window must differ from the box, or the landmark check compares the box with itself.
        if (!(options.LandmarkCheckScale >= 1 && options.LandmarkCheckShift >= 0 && (options.LandmarkCheckScale > 1 || options.LandmarkCheckShift > 0)))
        {
            errors.AddError("Faces:LandmarkCheckScale must be at least 1 and Faces:LandmarkCheckShift at least 0, not both the identity " +
                $"(the second window must move; got {options.LandmarkCheckScale} and {options.LandmarkCheckShift}).");
        }

        if (!(options.MinDescriptorLength >= 0))
        {
            errors.AddError($"Faces:MinDescriptorLength must be at least 0, 0 = off (got {options.MinDescriptorLength}).");
        }

        return errors.Build();
    }
}
