using System.Globalization;
using MatchService.Inference.Configuration;
using MatchService.Inference.Runtime;

namespace MatchService.Benchmarks.Inference;

/// <summary>The engine benchmark's command line.</summary>
internal sealed record EngineBenchmarkOptions
{
    public const string Usage = """
        usage: dotnet run -c Release --project tests/MatchService.Benchmarks -- engine [options]
          --model DIR      a model directory with config.json and a float32 input (e.g. models/face_recognition);
                           default: a generated 150x150x3 CNN (see --width, --repeats)
          --width N        generated CNN: channels of the first stage (default 32; 16 = 0.14 GFLOP/image)
          --repeats N      generated CNN: extra convolutions per stage (default 2)
          --device LIST    cpu, or cuda:N devices separated by commas, one instance group each (default cpu)
          --instances N    instances per device (default 1)
          --threads N      intra-op threads per CPU instance (default cores / CPU instances)
          --spinning       let ONNX Runtime's threads spin between work (Inference:Session:AllowSpinning; default off)
          --photo FILE     items are boxes of this photo, packed as the service packs them (decode once, crop,
                           resize, normalise per item); default: a random tensor copied into the slot
          --seconds S      seconds per measured point (default 3)
          --delay-us N     max_queue_delay_us of the delay sweep (default 2000)
          --device-check   check providers and outputs against the CPU first even without a cuda:N device (it
                           always runs with one; a failed check ends the run with exit code 1)
        """;

    public string? ModelDirectory { get; init; }

    public int Width { get; init; } = 32;

    public int Repeats { get; init; } = 2;

    public IReadOnlyList<DeviceSpec> Devices { get; init; } = [DeviceSpec.Cpu];

    public int InstancesPerDevice { get; init; } = 1;

    public int Threads { get; init; }

    public bool AllowSpinning { get; init; }

    public string? PhotoPath { get; init; }

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(3);

    public int DelayUs { get; init; } = 2000;

    /// <summary>Whether the device check runs: always with a CUDA device, on request otherwise.</summary>
    public bool DeviceCheck { get; init; }

    /// <summary>The engine-wide session settings, the same for the engine and the raw ceiling.</summary>
    public SessionSettings Session => new() { AllowSpinning = AllowSpinning };

    /// <summary>Every instance the engine runs (and the raw ceiling mirrors): device × count.</summary>
    public IReadOnlyList<InstanceSpec> Instances =>
        [.. Devices.Select(d => new InstanceSpec(d, InstancesPerDevice) { IntraOpThreads = d.Kind == DeviceKind.Cpu ? Threads : 0 })];

    /// <summary>Parses the arguments after <c>engine</c>; throws <see cref="ArgumentException"/> with the offending one.</summary>
    public static EngineBenchmarkOptions Parse(string[] args)
    {
        var o = new EngineBenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            int Int(int min = 1) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= min ? v
                : throw new ArgumentException($"{name} takes a whole number of at least {min}");
            o = name switch
            {
                "--model" => o with { ModelDirectory = Value() },
                "--width" => o with { Width = Int() },
                "--repeats" => o with { Repeats = Int(min: 0) },
                "--device" => o with { Devices = [.. Value().Split(',').Select(ParseDevice)] },
                "--instances" => o with { InstancesPerDevice = Int() },
                "--threads" => o with { Threads = Int() },
                "--spinning" => o with { AllowSpinning = true },
                "--photo" => o with { PhotoPath = Value() },
                "--seconds" => o with
                {
                    Duration = TimeSpan.FromSeconds(double.TryParse(Value(), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0 ? s
                        : throw new ArgumentException("--seconds takes a positive number")),
                },
                "--delay-us" => o with { DelayUs = Int() },
                "--device-check" => o with { DeviceCheck = true },
                _ => throw new ArgumentException($"unknown option {name}"),
            };
        }

        o = o with { DeviceCheck = o.DeviceCheck || o.Devices.Any(d => d.Kind == DeviceKind.Cuda) };
        var cpuInstances = o.Devices.Count(d => d.Kind == DeviceKind.Cpu) * o.InstancesPerDevice;
        return o.Threads > 0 ? o : o with { Threads = Math.Max(1, Environment.ProcessorCount / Math.Max(1, cpuInstances)) };
    }

    private static DeviceSpec ParseDevice(string text) =>
        DeviceSpec.TryParse(text, out var d) ? d : throw new ArgumentException($"--device: \"{text}\" is neither cpu nor cuda:N");
}
