using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using V1 = MatchService.Contracts.V1;

namespace MatchService.Contracts.Client;

/// <summary>
/// The MatchService client for ASP.NET Core and worker services, on Grpc.Net.ClientFactory:
/// <code>
/// builder.Services.AddMatchServiceClient(builder.Configuration.GetSection("MatchService"));
/// // then inject MatchService.Contracts.V1.MatchService.MatchServiceClient
/// </code>
/// </summary>
public static class MatchServiceClientRegistration
{
    /// <summary>Registers the client with options bound from <paramref name="section"/> (see <see cref="MatchServiceClientOptions"/>).</summary>
    public static IHttpClientBuilder AddMatchServiceClient(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MatchServiceClientOptions>().Bind(section);
        return AddClient(services);
    }

    /// <summary>Registers the client with options set in code.</summary>
    public static IHttpClientBuilder AddMatchServiceClient(this IServiceCollection services, Action<MatchServiceClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MatchServiceClientOptions>().Configure(configure);
        return AddClient(services);
    }

    private static IHttpClientBuilder AddClient(IServiceCollection services)
    {
        static MatchServiceClientOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<MatchServiceClientOptions>>().Value;
        var builder = services
            .AddGrpcClient<V1.MatchService.MatchServiceClient>((sp, o) => o.Address = new Uri(Options(sp).Address))
            .ConfigurePrimaryHttpMessageHandler(sp => MatchServiceChannel.CreateHandler(Options(sp)))
            .ConfigureChannel((sp, channel) => MatchServiceChannel.Configure(channel, Options(sp)))
            .AddInterceptor(_ => new PrecomputedComparisonMarker())
            .AddInterceptor(sp => new MatchServiceChannel.RequestCompression(Options(sp).CompressRequests));
        return builder;
    }
}
