using Microsoft.Extensions.Options;

namespace MatchService.Server.Persons;

/// <summary>Registration of the EmbedPersons RPC's options and handler.</summary>
internal static class PersonRpcRegistration
{
    /// <summary>Registers <see cref="PersonOptions"/> (section <c>Persons</c>, checked on start by
    /// <see cref="PersonOptionsValidator"/>) and the
    /// <see cref="EmbedPersonsHandler"/>. Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddPersonRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PersonOptions>().Bind(configuration.GetSection(PersonOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PersonOptions>, PersonOptionsValidator>();
        services.AddSingleton<EmbedPersonsHandler>();
        return services;
    }
}
