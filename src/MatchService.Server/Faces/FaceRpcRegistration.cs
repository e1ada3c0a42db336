using MatchService.Contracts.V1;
using MatchService.Grpc.Server;

namespace MatchService.Server.Faces;

/// <summary>Registration of the face RPCs: services in DI, handlers on the MatchService binding.</summary>
public static class FaceRpcRegistration
{
    /// <summary>Registers <see cref="FaceOptions"/> (section <c>Faces</c>), the face pipeline, calibration store and handlers.
    /// Needs <c>AddMatchPipelines</c>.</summary>
    public static IServiceCollection AddFaceRpcs(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FaceOptions>().Bind(configuration.GetSection(FaceOptions.SectionName));
        services.AddMetrics();
        services.AddSingleton<FacePipeline>();
        services.AddSingleton<CalibrationStore>();
        services.AddSingleton<FaceVerdictCounter>();
        services.AddSingleton<CompareHandler>();
        services.AddSingleton<VerifyHandler>();
        return services;
    }

    /// <summary>Binds CompareWithConfidence and Verify on the <c>match.v1.MatchService</c> builder.</summary>
    public static GrpcServiceBuilder BindFaceRpcs(this GrpcServiceBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var compare = services.GetRequiredService<CompareHandler>();
        var verify = services.GetRequiredService<VerifyHandler>();
        return builder
            .Unary<CompareRequest, CompareResponse>("CompareWithConfidence", compare.HandleAsync)
            .ClientStreaming<VerifyRequest, VerifyResponse>("Verify", verify.HandleAsync);
    }

    /// <summary>The <c>match.v1.MatchService</c> descriptor.</summary>
    public static Google.Protobuf.Reflection.ServiceDescriptor MatchServiceDescriptor => MatchServiceReflection.Descriptor.Services[0];
}
