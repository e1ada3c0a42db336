using System.Collections.Concurrent;

namespace MatchService.Inference.Runtime;

/// <summary>
/// Threads for CPU work off the request path (image decodes, packing a batch's images), lowered by
/// <see cref="ComputePriority"/>: <c>Inference:ComputeNice</c> nice levels below the threads that read calls. Work used
/// to run on the .NET thread pool, where Kestrel also reads the sockets: under load a new call's headers, and the
/// refusal they earn, queued behind decodes (tests/bench/overload.sh). As a <see cref="TaskScheduler"/> it also takes
/// <c>Parallel.For</c>'s work (<see cref="ParallelOptions.TaskScheduler"/>).
/// </summary>
public sealed class ComputeThreads : TaskScheduler, IDisposable
{
    private readonly BlockingCollection<Task> _queue = [];
    private readonly int _threads;

    /// <summary><paramref name="threads"/> threads named <paramref name="name"/>, lowered by <paramref name="nice"/> levels.</summary>
    public ComputeThreads(int threads, int nice, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        _threads = threads;
        for (var i = 0; i < threads; i++)
        {
            new Thread(() =>
            {
                ComputePriority.LowerCurrentThread(nice);
                foreach (var task in _queue.GetConsumingEnumerable())
                {
                    TryExecuteTask(task);
                }
            })
            { IsBackground = true, Name = name }.Start();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on one of these threads; a token cancelled before it starts skips it. The caller
    /// resumes on the thread pool at the request path's priority (<see cref="ComputePriority.OnRequestPath"/>), never
    /// inline on a lowered thread.
    /// </summary>
    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task.Factory.StartNew(() =>
        {
            if (cancellationToken.IsCancellationRequested)
            {
                ComputePriority.OnRequestPath(() => done.TrySetCanceled(cancellationToken));
                return;
            }

            try
            {
                var result = work();
                ComputePriority.OnRequestPath(() => done.TrySetResult(result));
            }
            catch (Exception e)
            {
                ComputePriority.OnRequestPath(() => done.TrySetException(e));
            }
        }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, this);
        return done.Task;
    }

    /// <inheritdoc />
    public override int MaximumConcurrencyLevel => _threads;

    /// <summary>Lets the threads end once the queue is empty.</summary>
    public void Dispose() => _queue.CompleteAdding();

    /// <inheritdoc />
    protected override void QueueTask(Task task) => _queue.Add(task);

    /// <inheritdoc />
    // A lowered thread (a model worker starting Parallel.For) may take part; a thread of the request path never does.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        !taskWasPreviouslyQueued && ComputePriority.IsCurrentThreadLowered && TryExecuteTask(task);

    /// <inheritdoc />
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();
}
