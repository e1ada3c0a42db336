using MatchService.Imaging.Memory;
using MatchService.Inference.Engine;
using MatchService.Inference.Runtime;
using MatchService.Server.Intake;
using MatchService.Server.Models;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Pipeline;

/// <summary>DI registration of the shared pipeline: options, model host (repository + engine), image intake.</summary>
internal static class PipelineRegistration
{
    /// <summary>
    /// Registers <see cref="PipelineOptions"/> (section <c>Pipeline</c>) and the engine's <see cref="InferenceEngineOptions"/>
    /// (section <c>Inference</c>), both checked on start, the <see cref="ModelHost"/> (started with the host, so the engine
    /// loads and warms up before the server listens), the server-wide <see cref="DecodedPixelBudget"/>, the threads decodes run on (<see cref="ComputeThreads"/>, lowered by <c>Inference:ComputeNice</c>) and the <see cref="ImageIntake"/>.
    /// </summary>
    public static IServiceCollection AddMatchPipelines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PipelineOptions>().Bind(configuration.GetSection(PipelineOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.AddOptions<InferenceEngineOptions>().Bind(configuration.GetSection(InferenceOptionsValidator.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<InferenceEngineOptions>, InferenceOptionsValidator>();
        services.AddSingleton<ModelHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ModelHost>());
        services.AddSingleton(sp =>
        {
            var budget = DecodedPixelBudget.For(sp.GetRequiredService<IOptions<PipelineOptions>>().Value, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);

            // Pixel arrays come back to the pool and are reused up to the budget's worth: arrays dropped instead would be
            // large-object garbage that piles up until a full collection, far beyond the budget.
            ImageArrayPools.Bytes.MaxKeptBytes = Math.Max(ImageArrayPools.Bytes.MaxKeptBytes, budget.Capacity * 3);
            return budget;
        });
        services.AddSingleton(sp => new ComputeThreads(Environment.ProcessorCount, sp.GetRequiredService<IOptions<InferenceEngineOptions>>().Value.ComputeNice, "decode"));
        services.AddSingleton<ImageIntake>();
        services.AddHostedService<IdleMemoryRelease>();
        services.AddSingleton<Hosting.IStartupWarmup, ModelHostWarmup>();
        services.AddHostedService<ModelHealthReporter>();
        return services;
    }
}
