namespace MatchService.Server.Pipeline;

/// <summary>DI registration of the shared pipeline: options, model host (repository + engine), image intake.</summary>
public static class PipelineRegistration
{
    /// <summary>
    /// Registers <see cref="PipelineOptions"/> (section <c>Pipeline</c>), the <see cref="ModelHost"/> (started with the
    /// host, so the engine loads and warms up before the server listens) and the <see cref="ImageIntake"/>.
    /// </summary>
    public static IServiceCollection AddMatchPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName));
        services.AddSingleton<ModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddSingleton<ImageIntake>();
        services.AddSingleton<Hosting.IStartupWarmup, ModelHostWarmup>();
        services.AddHostedService<ModelHealthReporter>();
        return services;
    }
}
