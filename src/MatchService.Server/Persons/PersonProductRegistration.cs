using MatchService.Contracts.V1;
using MatchService.Grpc;
using MatchService.Grpc.Server;
using MatchService.Server.Pipeline;
using MatchService.Metrics.Instruments;
using MatchService.Server.Products;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MatchService.Server.Persons;

/// <summary>Wiring of EmbedPersons and RankCandidates[Stream] into the host: one call for the services, one for the handlers.</summary>
public static class PersonProductRegistration
{
    /// <summary>
    /// Registers <see cref="PersonOptions"/> (section <c>Persons</c>) and <see cref="ProductOptions"/> (section
    /// <c>Products</c>), both validated at start-up, and the two handlers. Needs the shared pipeline
    /// (<c>AddMatchPipelines</c>) for the model host and image intake, and adds it when no one has yet.
    /// </summary>
    public static IServiceCollection AddPersonAndProductPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!services.Any(d => d.ServiceType == typeof(ModelHost)))
        {
            services.AddMatchPipelines(configuration);
        }

        services.AddOptions<PersonOptions>().Bind(configuration.GetSection(PersonOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.AddOptions<ProductOptions>().Bind(configuration.GetSection(ProductOptions.SectionName))
            .Validate(o => { o.Validate(); return true; }).ValidateOnStart();
        services.TryAddSingleton<MatchingMetrics>();
        services.AddSingleton<EmbedPersonsHandler>();
        services.AddSingleton<RankCandidatesHandler>();
        return services;
    }

    /// <summary>EmbedPersons, bound in <c>MatchServiceEndpoints</c>; the handler comes from the request's services.</summary>
    public static Task EmbedPersons(IAsyncStreamReader<EmbedRequest> requests, IServerStreamWriter<EmbedResponse> responses, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.HttpContext.RequestServices.GetRequiredService<EmbedPersonsHandler>().HandleAsync(requests, responses, context);
    }

    /// <summary>RankCandidates.</summary>
    public static Task<RankResponse> RankCandidates(RankRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.HttpContext.RequestServices.GetRequiredService<RankCandidatesHandler>().RankAsync(request, context);
    }

    /// <summary>RankCandidatesStream.</summary>
    public static Task<RankResponse> RankCandidatesStream(IAsyncStreamReader<RankStreamRequest> requests, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.HttpContext.RequestServices.GetRequiredService<RankCandidatesHandler>().RankStreamAsync(requests, context);
    }
}
