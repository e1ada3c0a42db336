using Microsoft.Extensions.Options;

namespace MatchService.Server.Faces;

/// <summary>Registration of the face RPCs' services and handlers.</summary>
internal static class FaceRpcRegistration
{
    /// <summary>Registers <see cref="FaceOptions"/> (section <c>Faces</c>, checked on start), the face pipeline, calibration store and handlers.
    /// Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddFaceRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaceOptions>().Bind(configuration.GetSection(FaceOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FaceOptions>, FaceOptionsValidator>();
        services.AddSingleton<FacePipeline>();
        services.AddSingleton<FaceFinder>();
        services.AddSingleton<CalibrationStore>();
        services.AddSingleton<CompareHandler>();
        services.AddSingleton<VerifyHandler>();
        return services;
    }

    /// <summary>
    /// The face chain's door at a call's first bytes (<see cref="FirstBytesDoor"/>): after the gRPC pipeline's
    /// middlewares (outcome, drain, token), before the services.
    /// </summary>
    public static WebApplication UseFaceDoorAtFirstBytes(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<FirstBytesDoor>();
        return app;
    }
}
