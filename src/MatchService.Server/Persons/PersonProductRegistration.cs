using MatchService.Server.Pipeline;
using MatchService.Server.Products;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Persons;

/// <summary>Registration of the EmbedPersons and RankCandidates[Stream] services and handlers.</summary>
public static class PersonProductRegistration
{
    /// <summary>
    /// Registers <see cref="PersonOptions"/> (section <c>Persons</c>) and <see cref="ProductOptions"/> (section
    /// <c>Products</c>), both checked on start, and the two handlers. Needs the shared pipeline
    /// (<c>AddMatchPipelines</c>) for the model host and image intake, and adds it when no one has yet.
    /// </summary>
    public static IServiceCollection AddPersonAndProductPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(ModelHost)))
        {
            services.AddMatchPipelines(configuration);
        }

        services.AddOptions<PersonOptions>().Bind(configuration.GetSection(PersonOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersonOptions>, PersonOptionsValidator>();
        services.AddOptions<ProductOptions>().Bind(configuration.GetSection(ProductOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProductOptions>, ProductOptionsValidator>();
        services.AddSingleton<EmbedPersonsHandler>();
        services.AddSingleton<RankCandidatesHandler>();
        return services;
    }
}
