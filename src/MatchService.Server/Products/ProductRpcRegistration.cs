namespace MatchService.Server.Products;

/// <summary>Registration of the RankCandidates[Stream] RPCs' options and handler.</summary>
internal static class ProductRpcRegistration
{
    /// <summary>Registers <see cref="ProductOptions"/> (section <c>Products</c>, validated at start-up) and the
    /// <see cref="RankCandidatesHandler"/>. Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddProductRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ProductOptions>().Bind(configuration.GetSection(ProductOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<RankCandidatesHandler>();
        return services;
    }
}
