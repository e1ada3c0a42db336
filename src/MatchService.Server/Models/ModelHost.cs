using Grpc.Core;
using MatchService.Inference.Engine;
using MatchService.Inference.Repository;
using MatchService.Inference.Telemetry;
using MatchService.Server.Pipeline;
using Microsoft.Extensions.Options;

namespace MatchService.Server.Models;

/// <summary>
/// Owns the inference engine for the host's lifetime: loads <c>models/*/config.json</c>, starts the sessions and
/// workers, warms every instance up, and disposes it all at shutdown. Handlers ask <see cref="Engine"/>, which answers
/// UNAVAILABLE until start-up has finished.
/// </summary>
internal sealed partial class ModelHost(IOptions<PipelineOptions> options, IOptions<InferenceEngineOptions> engineOptions, ILoggerFactory loggerFactory,
    Prometheus.CollectorRegistry metrics) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<ModelHost>();
    private readonly TaskCompletionSource<InferenceEngine> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private InferenceEngine? _engine;

    /// <summary>Completes when the engine is started and warmed up (faults when start-up failed).</summary>
    public Task<InferenceEngine> Ready => _ready.Task;

    /// <summary>The running engine.</summary>
    /// <exception cref="RpcException">UNAVAILABLE while the models are still loading.</exception>
    public InferenceEngine Engine => _engine is { } e && e.IsReady
        ? e
        : throw new RpcException(new Status(StatusCode.Unavailable, "the models are still loading; retry shortly"));

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var path = Path.GetFullPath(options.Value.ModelsPath);
            var repository = await ModelRepository.LoadAsync(path, _logger, cancellationToken).ConfigureAwait(false);
            if (options.Value.ModelTimeoutMs > 0)
            {
                var timeout = options.Value.ModelTimeoutMs;
                repository = new ModelRepository(repository.Models.Select(m => m with { Batching = m.Batching with { TimeoutMs = timeout } }).ToList());
            }

            var engine = await InferenceEngine.StartAsync(repository, engineOptions.Value, loggerFactory, new InferenceInstruments(metrics), cancellationToken).ConfigureAwait(false);
            await engine.WarmUpAsync(cancellationToken).ConfigureAwait(false);

            _engine = engine;
            LogStarted(_logger, repository.Models.Count, path);
            _ready.TrySetResult(engine);
        }
        catch (Exception e)
        {
            _ready.TrySetException(e);
            throw;
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _engine, null) is { } engine)
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "inference engine ready: {Count} models from {Path}")]
    private static partial void LogStarted(ILogger logger, int count, string path);
}
