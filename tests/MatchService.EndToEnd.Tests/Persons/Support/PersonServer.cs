using Grpc.Net.Client;
using MatchService.EndToEnd.Tests.Fixtures;
using MatchService.Inference.Engine;
using MatchService.Server.Hosting;
using MatchService.Server.Models;
using Microsoft.Extensions.DependencyInjection;
using V1 = MatchService.Contracts.V1;

namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>
/// A real MatchService on a loopback port (<see cref="MatchServer"/>: the host's own builder) over a model repository
/// made for the test (links to the three person/product models, no face models to warm up), with our typed client.
/// Limits are set small so that the limit tests stay cheap: 8 images per stream, 4 persons per image.
/// </summary>
public abstract class PersonServer : IAsyncLifetime
{
    private readonly bool _withTestModels;
    private readonly bool _withTrainedModels;
    private MatchServer? _server;
    private string? _repository;

    /// <summary>Creates the fixture.</summary>
    protected PersonServer(bool withTestModels, bool withTrainedModels = false)
    {
        _withTestModels = withTestModels;
        _withTrainedModels = withTrainedModels;
    }

    /// <summary>Why the tests cannot run here, or null.</summary>
    public string? SkipReason { get; private set; } = ModelDirectories.MissingDefaults;

    /// <summary>The client.</summary>
    public V1.MatchService.MatchServiceClient Client { get; private set; } = null!;

    private GrpcChannel? _channel;

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

        _repository = ModelDirectories.CreateRepository(_withTestModels, _withTrainedModels);
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:ModelsPath"] = _repository,
            ["Persons:MaxImagesPerStream"] = "8",
            ["Persons:MaxPersonsPerImage"] = "4",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        _server = await MatchServer.StartAsync(settings);
        Engine = await _server.Services.GetRequiredService<ModelHost>().Ready;
        MetricsAddress = _server.MetricsAddress;
        _channel = _server.CreateChannel();
        Client = new V1.MatchService.MatchServiceClient(_channel);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
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

/// <summary>The default models plus the converted person detector and head-shoulder locator (MoveNet): every default of EmbedPersons.</summary>
public sealed class TrainedModelServer() : PersonServer(withTestModels: false, withTrainedModels: true)
{
    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string?>> Settings => [new("Persons:MaxPersonsPerImage", "6")];
}

/// <summary>
/// The person and product test classes: one server per model set, and the classes run one after another, because a
/// server's Prometheus collector listens to every <c>MatchService.*</c> meter of the process — a second server ranking
/// at the same time would move the counters the non-commodity test reads.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PersonProductServers : ICollectionFixture<DefaultModelServer>, ICollectionFixture<TestModelServer>, ICollectionFixture<TrainedModelServer>
{
    /// <summary>The collection name.</summary>
    public const string Name = "persons-products servers";
}
