using Grpc.Core;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Spectre.Console;

namespace MatchService.Cli.Bench;

/// <summary>
/// A closed-loop load generator: N callers each issue a call, wait for it, and issue the next, for a duration or a
/// number of calls. Reports throughput and latency percentiles (nearest-rank), shows progress with Spectre.Console,
/// and can write the result as JSON. The call is any <c>Func&lt;CancellationToken, Task&gt;</c> (an RPC, an engine call).
/// </summary>
public sealed class LoadGenerator(IAnsiConsole? console = null)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private const string RetryPushbackTrailer = "grpc-retry-pushback-ms";
    private readonly IAnsiConsole _console = console ?? AnsiConsole.Console;

    /// <summary>Runs the load and returns what it measured.</summary>
    public async Task<LoadResult> RunAsync(Func<CancellationToken, Task> call, LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Concurrency < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"concurrency must be >= 1 (got {options.Concurrency})");
        }

        if (options.RampUp < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"ramp-up must be >= 0 (got {options.RampUp.TotalSeconds} s)");
        }

        if (options.Duration is null && options.Requests is null)
        {
            throw new ArgumentException("give a duration or a number of requests", nameof(options));
        }

        for (var i = 0; i < options.WarmupCallsPerCaller; i++)
        {
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => SafeCall(call, options, cancellationToken))).ConfigureAwait(false);
        }

        var run = new Run(options);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Duration is { } d)
        {
            stop.CancelAfter(d);
        }

        var started = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, options.Concurrency)
            .Select(i => Task.Run(() => CallerAsync(call, run, options, options.RampUp * i / options.Concurrency, stop.Token), CancellationToken.None))
            .ToArray();
        var all = Task.WhenAll(callers);
        if (options.ShowProgress)
        {
            await ShowProgressAsync(all, run, options, started).ConfigureAwait(false);
        }

        await all.ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var result = run.Summarise(options.Concurrency, seconds);
        if (options.JsonPath is { } path)
        {
            await File.WriteAllTextAsync(path, JsonSerializer.Serialize(result, Json), cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// Prints one result: a table of the successes, then one line per distinct failure status with its count, calls
    /// per second and how fast it was answered (a refusal, RESOURCE_EXHAUSTED, should come back at once), and an
    /// example message.
    /// </summary>
    public void Print(LoadResult result, string title = "load")
    {
        ArgumentNullException.ThrowIfNull(result);
        var table = new Table().Title(title).AddColumns("callers", "ok", "failed", "calls/s", "mean ms", "p50 ms", "p90 ms", "p99 ms", "max ms");
        table.AddRow(I(result.Concurrency), I(result.Succeeded), I(result.Failed), F(result.Throughput), F(result.MeanMs), F(result.P50Ms), F(result.P90Ms), F(result.P99Ms), F(result.MaxMs));
        _console.Write(table);
        foreach (var f in result.Failures)
        {
            _console.MarkupLineInterpolated(
                $"[red]{f.Status}[/]: {f.Count} calls, {F(result.Seconds > 0 ? f.Count / result.Seconds : 0)}/s, answered in p50 {F(f.P50Ms)} ms, p99 {F(f.P99Ms)} ms, max {F(f.MaxMs)} ms; e.g. {f.Example}");
        }
    }

    private static string I(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString("F1", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task CallerAsync(Func<CancellationToken, Task> call, Run run, LoadOptions options, TimeSpan startAfter, CancellationToken stop)
    {
        if (startAfter > TimeSpan.Zero)
        {
            await Task.Delay(startAfter, stop).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        while (!stop.IsCancellationRequested && run.TryStartCall())
        {
            var t0 = Stopwatch.GetTimestamp();
            var pushback = new StrongBox<int>();
            var error = await SafeCall(call, options, stop, pushback).ConfigureAwait(false);
            if (error == "cancelled" && stop.IsCancellationRequested)
            {
                return; // the run ended mid-call: neither a success nor a failure
            }

            run.Complete(Stopwatch.GetElapsedTime(t0).TotalMilliseconds, error);
            if (options.HonorRetryPushback && pushback.Value > 0)
            {
                // As a gRPC client with a retry policy does (gRFC A6): a refused caller comes back when told to.
                await Task.Delay(TimeSpan.FromMilliseconds(pushback.Value), stop).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private static async Task<string?> SafeCall(Func<CancellationToken, Task> call, LoadOptions options, CancellationToken stop, StrongBox<int>? pushback = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(options.CallTimeout);
        try
        {
            await call(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return "cancelled";
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return "timeout";
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Cancelled && stop.IsCancellationRequested)
        {
            return "cancelled"; // the run ended while the call was in flight
        }
        catch (RpcException e)
        {
            if (pushback is not null && int.TryParse(e.Trailers.GetValue(RetryPushbackTrailer), System.Globalization.CultureInfo.InvariantCulture, out var ms))
            {
                pushback.Value = ms;
            }

            return $"RpcException {e.StatusCode}: {(e.Status.Detail.Length > 120 ? e.Status.Detail[..120] : e.Status.Detail)}";
        }
        catch (Exception e)
        {
            return e.GetType().Name;
        }
    }

    private async Task ShowProgressAsync(Task all, Run run, LoadOptions options, long started)
    {
        await _console.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"{options.Concurrency} callers", maxValue: 100);
                while (!all.IsCompleted)
                {
                    var byTime = options.Duration is { } d ? Stopwatch.GetElapsedTime(started) / d : 0;
                    var byCount = options.Requests is { } n ? (double)run.Issued / n : 0;
                    task.Value = Math.Min(100, 100 * Math.Max(byTime, byCount));
                    task.Description = $"{options.Concurrency} callers, {run.Done} calls";
                    await Task.WhenAny(all, Task.Delay(200)).ConfigureAwait(false);
                }

                task.Value = 100;
            }).ConfigureAwait(false);
    }

    /// <summary>Shared counters of one run.</summary>
    private sealed class Run(LoadOptions options)
    {
        private readonly ConcurrentBag<double> _latencies = [];
        private readonly ConcurrentDictionary<string, FailureLog> _failures = new(StringComparer.Ordinal);
        private long _issued;
        private long _done;

        public long Issued => Interlocked.Read(ref _issued);

        public long Done => Interlocked.Read(ref _done);

        public bool TryStartCall() => options.Requests is not { } n || Interlocked.Increment(ref _issued) <= n;

        public void Complete(double ms, string? error)
        {
            Interlocked.Increment(ref _done);
            if (error is null)
            {
                _latencies.Add(ms);
                return;
            }

            // One entry per status ("RpcException ResourceExhausted: <detail>" → ResourceExhausted), not per message:
            // messages carry numbers (deadlines, queue lengths) that would split one outcome into many lines.
            var (status, detail) = StatusOf(error);
            var log = _failures.GetOrAdd(status, _ => new FailureLog(detail));
            log.Latencies.Add(ms);
        }

        public LoadResult Summarise(int concurrency, double seconds)
        {
            var sorted = Sorted(_latencies);
            var failures = _failures.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f =>
            {
                var ms = Sorted(f.Value.Latencies);
                return new FailureSummary(f.Key, ms.Length, Percentile(ms, 0.50), Percentile(ms, 0.99), ms.Length > 0 ? ms[^1] : 0, f.Value.Example);
            }).ToList();
            return new LoadResult
            {
                Concurrency = concurrency,
                Succeeded = sorted.Length,
                Failed = failures.Sum(f => f.Count),
                Seconds = seconds,
                MeanMs = sorted.Length > 0 ? sorted.Average() : 0,
                P50Ms = Percentile(sorted, 0.50),
                P90Ms = Percentile(sorted, 0.90),
                P99Ms = Percentile(sorted, 0.99),
                MaxMs = sorted.Length > 0 ? sorted[^1] : 0,
                Errors = new SortedDictionary<string, long>(failures.ToDictionary(f => f.Status, f => f.Count), StringComparer.Ordinal),
                Failures = failures,
            };
        }

        private static (string Status, string Detail) StatusOf(string error)
        {
            const string Prefix = "RpcException ";
            if (!error.StartsWith(Prefix, StringComparison.Ordinal))
            {
                return (error, error);
            }

            var colon = error.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (error[Prefix.Length..], "") : (error[Prefix.Length..colon], error[(colon + 1)..].Trim());
        }

        private static double[] Sorted(IEnumerable<double> values)
        {
            var sorted = values.ToArray();
            Array.Sort(sorted);
            return sorted;
        }

        private static double Percentile(double[] sorted, double q) =>
            sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];

        private sealed class FailureLog(string example)
        {
            public string Example { get; } = example;

            public ConcurrentBag<double> Latencies { get; } = [];
        }
    }
}
