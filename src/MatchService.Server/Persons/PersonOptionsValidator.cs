using Microsoft.Extensions.Options;

namespace MatchService.Server.Persons;

/// <summary>Checks section <c>Persons</c> at start and names each wrong setting with its key.</summary>
internal sealed class PersonOptionsValidator : IValidateOptions<PersonOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PersonOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        (string Key, int Value)[] counts = [(nameof(options.MaxPersonsPerImage), options.MaxPersonsPerImage), (nameof(options.MaxImagesPerStream), options.MaxImagesPerStream), (nameof(options.MaxPersonsPerStream), options.MaxPersonsPerStream), (nameof(options.MaxConcurrentImages), options.MaxConcurrentImages)];
        foreach (var (key, value) in counts.Where(c => c.Value < 1))
        {
            errors.AddError($"Persons:{key} {value} must be ≥ 1.");
        }

        if (!(options.DistanceBound >= 0))
        {
            errors.AddError($"Persons:DistanceBound {options.DistanceBound} must be ≥ 0.");
        }

        if (options.TopN < 0 || options.TopN > options.MaxTopN)
        {
            errors.AddError($"Persons:TopN {options.TopN} must lie in [0, Persons:MaxTopN] = [0, {options.MaxTopN}].");
        }

        if (options.Metric is not ("cosine" or "euclidean"))
        {
            errors.AddError($"Persons:Metric '{options.Metric}' must be cosine or euclidean.");
        }

        return errors.Build();
    }
}
