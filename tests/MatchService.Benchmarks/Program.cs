using BenchmarkDotNet.Running;

// Every benchmark class in this assembly is listed by `--list flat` and picked with `--filter`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
