using MatchService.Client;
using MatchService.Inference.Engine;
using MatchService.Server.Hosting;
using MatchService.Server.Pipeline;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>
/// A real MatchService on a loopback port (Kestrel, HTTP/2), built by the host's own <see cref="MatchServerHost"/> —
/// so the registration the server's Program uses is what is tested (the faces fixture <c>Fixtures/MatchServer</c>
/// builds its own slim host with static hooks instead) — over a model repository made for the test (links to the
/// three person/product models, no face models to warm up), with our typed client. Limits are set small so that the limit tests
/// stay cheap: 8 images per stream, 4 persons per image.
/// </summary>
public abstract class PersonServer : IAsyncLifetime
{
    private readonly bool _withTestModels;
    private WebApplication? _app;
    private string? _repository;

    /// <summary>Creates the fixture.</summary>
    protected PersonServer(bool withTestModels)
    {
        _withTestModels = withTestModels;
    }

    /// <summary>Why the tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; } = ModelDirectories.MissingDefaults;

    /// <summary>The client.</summary>
    public MatchServiceClient Client { get; private set; } = null!;

    /// <summary>The Prometheus endpoint of the server (<c>/metrics</c> on its own dynamic port).</summary>
    public Uri MetricsAddress { get; private set; } = null!;

    /// <summary>The running engine (statistics per model).</summary>
    public InferenceEngine Engine { get; private set; } = null!;

    /// <summary>Extra configuration of a fixture.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings => [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return;
        }

        _repository = ModelDirectories.CreateRepository(_withTestModels);
        var settings = new Dictionary<string, string?>
        {
            ["Match:Address"] = "127.0.0.1",
            ["Match:Port"] = "0",
            ["Match:Metrics:Port"] = "0",
            ["Pipeline:ModelsPath"] = _repository,
            ["Persons:MaxImagesPerStream"] = "8",
            ["Persons:MaxPersonsPerImage"] = "4",
            ["Logging:LogLevel:Default"] = "Warning",

            // Shared 2-core CI machines: a long queue wait is not what these tests measure.
            ["Pipeline:ModelTimeoutMs"] = "120000",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _app = MatchServerHost.Build([], b => b.Configuration.AddInMemoryCollection(settings));
        await _app.StartAsync();
        Engine = await _app.Services.GetRequiredService<ModelHost>().Ready;
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        MetricsAddress = new Uri(_app.Services.GetRequiredService<MetricsListener>().Address!, "/metrics");
        Client = MatchServiceClient.Create(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client?.Channel.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_repository is not null)
        {
            Directory.Delete(_repository, recursive: true);
        }
    }
}

/// <summary>The default models only: rule-based weights, geometric head-shoulder prior, intent rule, whole-image regions.</summary>
public sealed class DefaultModelServer() : PersonServer(withTestModels: false);

/// <summary>The default models plus the generated test models of the model-driven paths.</summary>
public sealed class TestModelServer() : PersonServer(withTestModels: true);

/// <summary>
/// The person and product test classes: one server per model set, and the classes run one after another, because a
/// server's Prometheus collector listens to every <c>MatchService.*</c> meter of the process — a second server ranking
/// at the same time would move the counters the non-commodity test reads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PersonProductServers : ICollectionFixture<DefaultModelServer>, ICollectionFixture<TestModelServer>
{
    /// <summary>The collection name.</summary>
    public const string Name = "persons-products servers";
}
