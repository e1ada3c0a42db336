using MatchService.Inference.Batching;
using MatchService.Inference.Configuration;
using MatchService.Inference.Health;
using MatchService.Inference.Repository;
using MatchService.Inference.Runtime;
using MatchService.Inference.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Inference.Engine;

/// <summary>
/// The inference engine: for every model of the repository, its instances (sessions on devices) with one worker each,
/// fed by the model's dynamic batcher. Start with <see cref="StartAsync"/>, then <see cref="WarmUpAsync"/> before
/// reporting SERVING; ask for models by role or name.
/// </summary>
public sealed class InferenceEngine : IModelHealth, IAsyncDisposable
{
    private readonly Dictionary<string, ModelRunner> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<ModelRole, ModelRunner> _byRole = [];
    private readonly List<Task> _workers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly InferenceInstruments _instruments;

    // The threads that pack a batch's images beside its worker, lowered like the workers (ComputePriority).
    private readonly ComputeThreads _packing;
    private volatile bool _warmedUp;

    private InferenceEngine(InferenceInstruments? instruments, InferenceEngineOptions options)
    {
        _instruments = instruments ?? new InferenceInstruments();
        _packing = new ComputeThreads(Environment.ProcessorCount, options.ComputeNice, "packing");
    }

    /// <inheritdoc />
    public event EventHandler? HealthChanged;

    /// <summary>All models, by name.</summary>
    public IReadOnlyCollection<ModelRunner> Models => _byName.Values;

    /// <inheritdoc />
    public bool IsReady => _warmedUp && _byName.Values.All(m => m.Instances.Any(i => i.IsHealthy));

    /// <inheritdoc />
    public IReadOnlyList<InstanceHealth> Instances => _byName.Values.SelectMany(m => m.Instances).Select(i => i.Health).ToArray();

    /// <summary>
    /// Creates every instance's session (checking each .onnx file against its config) and starts the workers.
    /// A CUDA device that cannot be used fails start-up unless the model names a <c>fallback_device</c>.
    /// </summary>
    /// <exception cref="ModelConfigException">A config or model file that does not fit, naming file and field.</exception>
    public static async Task<InferenceEngine> StartAsync(ModelRepository repository, InferenceEngineOptions? options = null,
        ILoggerFactory? loggerFactory = null, InferenceInstruments? instruments = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        options ??= new InferenceEngineOptions();
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<InferenceEngine>();
        var engine = new InferenceEngine(instruments, options);
        InferenceLog.OnnxRuntimeVersion(logger, OrtEnv.Instance().GetVersionString(), OnnxRuntimeLibrary.LoadedPath() ?? "not found in /proc/self/maps");
        try
        {
            var cpuInstances = repository.Models.Sum(m => m.Instances.Where(i => i.Device.Kind == DeviceKind.Cpu).Sum(i => i.Count));
            // Session creation parses and optimises the graph: off the caller's thread, on one whose lowered priority
            // ONNX Runtime's intra-op threads inherit (ComputePriority). One thread for every model: each thread that
            // allocates gets a malloc arena of its own, and a thread per model added about 400 MiB to the warm RSS.
            await ComputePriority.RunOnLoweredThreadAsync(() =>
            {
                foreach (var config in repository.Models)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var runner = new ModelRunner(config, engine._instruments, engine.RaiseHealthChanged);
                    engine._byName.Add(config.Name, runner);
                    engine._byRole.TryAdd(config.Role, runner);
                    engine.AddInstances(runner, options, Math.Max(1, cpuInstances), logger);
                }
            }, options.ComputeNice, "model load").ConfigureAwait(false);

            foreach (var runner in engine._byName.Values)
            {
                foreach (var instance in runner.Instances)
                {
                    // A thread per instance: ORT's Run blocks, and so does batch formation (for precise delays).
                    engine._workers.Add(Task.Factory.StartNew(() =>
                    {
                        ComputePriority.LowerCurrentThread(options.ComputeNice);
                        instance.Run(engine._stopping.Token);
                    }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
                }
            }

            return engine;
        }
        catch
        {
            await engine.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The model with this name.</summary>
    public ModelRunner GetModel(string name) =>
        _byName.TryGetValue(name, out var m) ? m : throw new KeyNotFoundException($"no model named \"{name}\" is loaded");

    /// <summary>The model serving this role.</summary>
    public ModelRunner GetByRole(ModelRole role) =>
        TryGetByRole(role) ?? throw new KeyNotFoundException($"no model with role {ModelConfigFile.Word(role)} is loaded");

    /// <summary>The model serving this role, or null (pipelines then use their rule-based fallback).</summary>
    public ModelRunner? TryGetByRole(ModelRole role) => _byRole.GetValueOrDefault(role);

    /// <summary>Runs one max-size batch on every instance; <see cref="IsReady"/> turns true when all succeeded.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken = default)
    {
        foreach (var instance in _byName.Values.SelectMany(m => m.Instances))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Run(instance.WarmUp, cancellationToken).ConfigureAwait(false);
        }

        _warmedUp = true;
        RaiseHealthChanged();
    }

    /// <summary>Stops the workers, fails anything still queued, and releases the sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        foreach (var runner in _byName.Values)
        {
            runner.Batcher.FailAll(new ObjectDisposedException(nameof(InferenceEngine), $"model {runner.Config.Name}: the engine is shutting down"));
        }

        await Task.WhenAll(_workers).ConfigureAwait(false);
        foreach (var runner in _byName.Values)
        {
            foreach (var instance in runner.Instances)
            {
                instance.Dispose();
            }

            runner.Batcher.Dispose();
        }

        _packing.Dispose();
        _stopping.Dispose();
    }

    private void AddInstances(ModelRunner runner, InferenceEngineOptions options, int cpuInstances, ILogger logger)
    {
        var config = runner.Config;
        for (var e = 0; e < config.Instances.Count; e++)
        {
            var spec = config.Instances[e];
            for (var k = 0; k < spec.Count; k++)
            {
                var (session, device) = CreateSession(config, spec, e, NextId(runner, spec.Device), options.Session, cpuInstances, logger);
                try
                {
                    var id = NextId(runner, device);
                    var instance = new ModelInstance(runner, session, id, options.UnhealthyAfterFailures, options.PackingThreads, _packing, logger);
                    runner.Add(instance);
                    _instruments.ObserveHealth(config.Name, id, () => instance.IsHealthy);
                    InferenceLog.InstanceLoaded(logger, config.Name, id, device.ToString(), session.Provider, config.Input.Name, session.InputShape, session.OutputMemory);
                }
                catch
                {
                    session.Dispose();
                    throw;
                }
            }
        }
    }

    /// <summary>The id the next instance of this model on <paramref name="device"/> gets: <c>cuda:0/1</c> is its second on cuda:0.</summary>
    private static string NextId(ModelRunner runner, DeviceSpec device) =>
        $"{device}/{runner.Instances.Count(i => i.Health.Device == device.ToString())}";

    private static (ModelSession Session, DeviceSpec Device) CreateSession(ModelConfig config, InstanceSpec spec, int index, string id,
        SessionSettings settings, int cpuInstances, ILogger logger)
    {
        try
        {
            return (new ModelSession(config, spec, spec.Device, settings, cpuInstances), spec.Device);
        }
        catch (DeviceUnavailableException e) when (config.FallbackDevice is { } fallback)
        {
            InferenceLog.DeviceFallback(logger, config.Name, id, spec.Device.ToString(), e.Reason, fallback.ToString());
            return (new ModelSession(config, spec, fallback, settings, cpuInstances), fallback);
        }
        catch (DeviceUnavailableException e)
        {
            throw new ModelConfigException(config.ConfigPath, $"instances[{index}].device",
                $"{spec.Device} is unavailable to model {config.Name} (instance {id}): {e.Reason}; set \"fallback_device\" (e.g. \"cpu\") to run there instead", e);
        }
    }

    private void RaiseHealthChanged() => HealthChanged?.Invoke(this, EventArgs.Empty);
}
