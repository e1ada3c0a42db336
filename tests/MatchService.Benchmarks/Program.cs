using BenchmarkDotNet.Running;
using MatchService.Benchmarks.Inference;

// `engine` runs the inference engine's load benchmark and `faces` the face-detector survey (plain console output, one
// run each); anything else goes to
// BenchmarkDotNet: every benchmark class in this assembly is listed by `--list flat` and picked with `--filter`.
if (args.Length > 0 && args[0] == "engine")
{
    return await EngineBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "faces")
{
    return await MatchService.Benchmarks.Faces.FaceDetectorSurvey.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmark).Assembly).Run(args);
return 0;
