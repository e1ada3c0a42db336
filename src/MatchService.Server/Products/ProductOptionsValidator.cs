using Microsoft.Extensions.Options;

namespace MatchService.Server.Products;

/// <summary>Checks section <c>Products</c> at start and names each wrong setting with its key.</summary>
internal sealed class ProductOptionsValidator : IValidateOptions<ProductOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ProductOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new ValidateOptionsResultBuilder();
        (string Key, int Value)[] counts = [(nameof(options.MaxCandidates), options.MaxCandidates), (nameof(options.MaxConcurrentCandidateImages), options.MaxConcurrentCandidateImages), (nameof(options.MaxGarmentRegions), options.MaxGarmentRegions)];
        foreach (var (key, value) in counts.Where(c => c.Value < 1))
        {
            errors.AddError($"Products:{key} {value} must be ≥ 1.");
        }

        if (!double.IsFinite(options.MinRankValue))
        {
            errors.AddError($"Products:MinRankValue {options.MinRankValue} must be a finite number.");
        }

        if (!(options.MaxCategoryInformation >= 0))
        {
            errors.AddError($"Products:MaxCategoryInformation {options.MaxCategoryInformation} must be ≥ 0.");
        }

        return errors.Build();
    }
}
