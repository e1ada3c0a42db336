namespace MatchService.Server.Faces;

/// <summary>Registration of the face RPCs' services and handlers.</summary>
internal static class FaceRpcRegistration
{
    /// <summary>Registers <see cref="FaceOptions"/> (section <c>Faces</c>), the face pipeline, calibration store and handlers.
    /// Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddFaceRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaceOptions>().Bind(configuration.GetSection(FaceOptions.SectionName))
            .Validate(o => o.MaxFaceCandidates >= 1, "Faces:MaxFaceCandidates must be at least 1")
            .Validate(o => o.MaxLandmarkDisagreement > 0, "Faces:MaxLandmarkDisagreement must be above 0 (box sides)")
            .Validate(o => o.LandmarkCheckScale >= 1 && o.LandmarkCheckShift >= 0 && (o.LandmarkCheckScale > 1 || o.LandmarkCheckShift > 0),
                "Faces:LandmarkCheckScale must be at least 1 and Faces:LandmarkCheckShift at least 0, not both the identity (the second window must move)")
            .Validate(o => o.MinDescriptorLength >= 0, "Faces:MinDescriptorLength must be at least 0 (0 = off)")
            .ValidateOnStart();
        services.AddSingleton<FacePipeline>();
        services.AddSingleton<FaceFinder>();
        services.AddSingleton<CalibrationStore>();
        services.AddSingleton<CompareHandler>();
        services.AddSingleton<VerifyHandler>();
        return services;
    }
}
