using System.Diagnostics;
using MatchService.EndToEnd.Tests.Fixtures;
using Xunit.Abstractions;

namespace MatchService.EndToEnd.Tests.Scripts;

/// <summary>
/// scripts/trx-summary.py, which ends scripts/test.sh: skipped tests are listed with their reasons on the console
/// (the console logger only counts them), then the closing line over all result files.
/// </summary>
public sealed class TrxSummaryTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("trx-");

    [Fact]
    public async Task SkippedTestsAreListedWithTheirReasonsBeforeTheClosingLine()
    {
        // The shape the trx logger writes for xunit (a skip reason lands in Output/ErrorInfo/Message).
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "a.trx"), """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <Results>
                <UnitTestResult testName="Tests.DeviceTests.Cuda_RunsOnTheGpu" outcome="NotExecuted">
                  <Output><ErrorInfo><Message>needs a GPU: no NVIDIA GPU on this machine (/dev/nvidia0 absent)</Message></ErrorInfo></Output>
                </UnitTestResult>
                <UnitTestResult testName="Tests.DeviceTests.Cpu_Runs" outcome="Passed" />
              </Results>
              <ResultSummary outcome="Completed"><Counters total="3" executed="2" passed="1" failed="1" error="0" /></ResultSummary>
            </TestRun>
            """);
        await File.WriteAllTextAsync(Path.Combine(_dir.FullName, "b.trx"), """
            <?xml version="1.0" encoding="utf-8"?>
            <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
              <ResultSummary outcome="Completed"><Counters total="4" executed="4" passed="4" failed="0" error="0" /></ResultSummary>
            </TestRun>
            """);

        var start = new ProcessStartInfo("/usr/bin/python3") { ArgumentList = { Path.Combine(RepoPaths.Root, "scripts", "trx-summary.py"), _dir.FullName, "42" } };
        var run = await Matchctl.RunProcessAsync(start, output, "trx-summary.py");
        Assert.Equal(0, run.Code);
        Assert.Equal(
            [
                "skipped: Tests.DeviceTests.Cuda_RunsOnTheGpu: needs a GPU: no NVIDIA GPU on this machine (/dev/nvidia0 absent)",
                "tests: 5 passed, 1 failed, 1 skipped in 42 s",
            ],
            run.Out.TrimEnd('\n').Split('\n'));
    }

    /// <inheritdoc />
    public void Dispose() => _dir.Delete(recursive: true);
}
