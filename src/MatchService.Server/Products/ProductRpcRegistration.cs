using Microsoft.Extensions.Options;

namespace MatchService.Server.Products;

/// <summary>Registration of the RankCandidates[Stream] RPCs' options and handler.</summary>
internal static class ProductRpcRegistration
{
    /// <summary>Registers <see cref="ProductOptions"/> (section <c>Products</c>, checked on start by
    /// <see cref="ProductOptionsValidator"/>) and the
    /// <see cref="RankCandidatesHandler"/>. Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddProductRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProductOptions>().Bind(configuration.GetSection(ProductOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProductOptions>, ProductOptionsValidator>();
        services.AddSingleton<RankCandidatesHandler>();
        return services;
    }
}
