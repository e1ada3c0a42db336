using MatchService.Inference.Configuration;
using Microsoft.ML.OnnxRuntime;

namespace MatchService.Inference.Runtime;

/// <summary>The outputs of one batch run, as host memory the worker scatters from.</summary>
internal sealed class BatchOutputs(IDisposable owner, OrtValue[] values, long[][] shapes) : IDisposable
{
    /// <summary>Number of outputs (config order).</summary>
    public int Count => values.Length;

    /// <summary>Per config output: the batch shape.</summary>
    public long[][] Shapes { get; } = shapes;

    /// <summary>The whole batch's values of output <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Data(int index) => values[index].GetTensorDataAsSpan<float>();

    public void Dispose() => owner.Dispose();
}

/// <summary>
/// One ONNX Runtime session of a model on one device. CPU sessions run from pinned host buffers; CUDA sessions run
/// through an <see cref="OrtIoBinding"/> whose outputs land in CUDA pinned (page-locked, device-mapped) memory, so the
/// copy back is one DMA and the worker reads results without another copy.
/// </summary>
internal sealed class ModelSession : IDisposable
{
    private readonly ModelConfig _config;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtIoBinding? _binding;
    private readonly OrtMemoryInfo? _outputMemory;
    private readonly string[] _outputNames;

    public ModelSession(ModelConfig config, InstanceSpec instance, DeviceSpec device, SessionSettings settings, int cpuInstances)
    {
        _config = config;
        Device = device;
        Provider = device.Kind == DeviceKind.Cuda ? SessionOptionsFactory.CudaProvider : SessionOptionsFactory.CpuProvider;
        if (!File.Exists(config.ModelPath))
        {
            throw new ModelConfigException(config.ConfigPath, "file", $"{config.ModelPath} does not exist (run the model forge, or fix the path)");
        }

        using var options = SessionOptionsFactory.Create(instance, device, settings, cpuInstances);
        try
        {
            _session = new InferenceSession(config.ModelPath, options);
        }
        catch (OnnxRuntimeException e) when (device.Kind == DeviceKind.Cuda)
        {
            throw new DeviceUnavailableException(device, $"session creation failed: {e.Message}", e);
        }
        catch (OnnxRuntimeException e)
        {
            throw new ModelConfigException(config.ConfigPath, "file", $"{config.ModelPath} could not be loaded: {e.Message}", e);
        }

        try
        {
            ModelSignature.Check(config, _session);
            _outputNames = config.Outputs.Select(o => o.Name).ToArray();
            if (device.Kind == DeviceKind.Cuda)
            {
                _binding = _session.CreateIoBinding();
                _outputMemory = OutputMemoryFor(_session, device);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public DeviceSpec Device { get; }

    /// <summary>
    /// The execution provider the session was created with: CUDA only once appending it loaded the provider library and
    /// the session opened the device (ONNX Runtime's list of available providers names CUDA even where it cannot run).
    /// </summary>
    public string Provider { get; }

    /// <summary>Where a CUDA instance's outputs are written (pinned host memory, or plain host memory), for logs.</summary>
    public string OutputMemory => _outputMemory is null ? "host" : $"{_outputMemory.Name}:{_outputMemory.Id}";

    /// <summary>The graph's input shape, for logs.</summary>
    public string InputShape => ModelSignature.Show(_session.InputMetadata[_config.Input.Name].Dimensions);

    /// <summary>Runs one batch of <paramref name="batchSize"/> items packed in <paramref name="input"/> (float or byte memory).</summary>
    public BatchOutputs Run<T>(Memory<T> input, int batchSize)
        where T : unmanaged
    {
        var shape = new long[_config.Input.ItemShape.Length + 1];
        shape[0] = batchSize;
        _config.Input.ItemShape.CopyTo(shape, 1);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);

        IDisposableReadOnlyCollection<OrtValue> results;
        if (_binding is not null)
        {
            _binding.ClearBoundInputs();
            _binding.ClearBoundOutputs();
            _binding.BindInput(_config.Input.Name, inputValue);
            foreach (var name in _outputNames)
            {
                _binding.BindOutputToDevice(name, _outputMemory!);
            }

            results = _session.RunWithBoundResults(_runOptions, _binding);
        }
        else
        {
            results = _session.Run(_runOptions, [_config.Input.Name], [inputValue], _outputNames);
        }

        try
        {
            var values = results.ToArray();
            var shapes = new long[results.Count][];
            var i = 0;
            foreach (var value in values)
            {
                var info = value.GetTensorTypeAndShape();
                shapes[i] = info.Shape;
                if (shapes[i].Length == 0 || shapes[i][0] != batchSize)
                {
                    throw new InvalidOperationException(
                        $"output \"{_outputNames[i]}\" has shape [{string.Join(",", shapes[i])}], not a batch of {batchSize}");
                }

                i++;
            }

            return new BatchOutputs(results, values, shapes);
        }
        catch
        {
            results.Dispose();
            throw;
        }
    }

    /// <summary>
    /// CUDA pinned host memory, which the device writes and the host reads without another copy. ONNX Runtime versions
    /// disagree on the device id of the pinned allocator (the GPU's, or 0 for every GPU), so the session is asked which
    /// one it has; plain host memory is the last resort (outputs are small embeddings and boxes).
    /// </summary>
    internal static OrtMemoryInfo OutputMemoryFor(InferenceSession session, DeviceSpec device)
    {
        foreach (var id in device.Index == 0 ? [0] : new[] { device.Index, 0 })
        {
            var pinned = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, id, OrtMemType.CpuOutput);
            try
            {
                using var probe = new OrtAllocator(session, pinned);
                return pinned;
            }
            catch (OnnxRuntimeException)
            {
                pinned.Dispose();
            }
        }

        return new OrtMemoryInfo(OrtMemoryInfo.allocatorCPU, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.Default);
    }

    public void Dispose()
    {
        _binding?.Dispose();
        _outputMemory?.Dispose();
        _runOptions.Dispose();
        _session?.Dispose();
    }
}
