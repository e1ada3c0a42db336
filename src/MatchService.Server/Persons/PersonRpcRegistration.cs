namespace MatchService.Server.Persons;

/// <summary>Registration of the EmbedPersons RPC's options and handler.</summary>
internal static class PersonRpcRegistration
{
    /// <summary>Registers <see cref="PersonOptions"/> (section <c>Persons</c>, validated at start-up) and the
    /// <see cref="EmbedPersonsHandler"/>. Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddPersonRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PersonOptions>().Bind(configuration.GetSection(PersonOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddSingleton<EmbedPersonsHandler>();
        return services;
    }
}
