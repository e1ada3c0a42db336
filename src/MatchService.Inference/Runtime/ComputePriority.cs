using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace MatchService.Inference.Runtime;

/// <summary>
/// Puts the threads that compute (model runs, ONNX Runtime's own threads, image decodes) below the threads that read
/// requests and answer them. When a busy service's cores are all computing, a new call's headers wait for a core like
/// everything else; a thread that reads the socket and answers a refusal should get one first. Linux lets any thread
/// lower its own priority (raise its nice value) without privileges, and threads it starts inherit the value.
/// </summary>
/// <remarks>
/// The inheritance has a trap: work a lowered thread queues to the .NET thread pool can make the pool start a new
/// thread right there, and that thread would serve requests at the lower priority for the rest of its life (measured:
/// 64 of 64 continuations queued from a thread at nice 5 ran on pool threads at nice 5). So a lowered thread never completes a caller's task itself: <see cref="OnRequestPath"/>
/// hands the completion to a relay thread started, before any thread was lowered, at the process's own priority.
/// </remarks>
public static partial class ComputePriority
{
    /// <summary>The most a nice value can be raised: 19 is the lowest priority Linux has.</summary>
    public const int MaxNice = 19;

    [ThreadStatic]
    private static bool t_lowered;

    private static readonly Lock RelayStart = new();
    private static BlockingCollection<Action>? s_relay;

    /// <summary>Whether the calling thread lowered itself through <see cref="LowerCurrentThread"/>.</summary>
    public static bool IsCurrentThreadLowered => t_lowered;

    /// <summary>
    /// Raises the calling thread's nice value by <paramref name="increment"/> (clamped by the kernel at 19). Does
    /// nothing for 0 or off Linux; returns whether the thread's priority was lowered.
    /// </summary>
    public static bool LowerCurrentThread(int increment)
    {
        if (increment <= 0 || !OperatingSystem.IsLinux())
        {
            return false;
        }

        StartRelay(); // from this thread while it still has the priority the relay must keep

        // On Linux the nice value is per thread: nice() (setpriority(PRIO_PROCESS, 0)) changes the calling thread only.
        Marshal.SetLastPInvokeError(0);
        t_lowered = Nice(increment) != -1 || Marshal.GetLastPInvokeError() == 0;
        return t_lowered;
    }

    /// <summary>
    /// Runs <paramref name="complete"/> (completing a caller's task) at once on a thread at the request path's
    /// priority, or hands it to the relay thread when the calling thread is lowered. Completions keep their order.
    /// </summary>
    public static void OnRequestPath(Action complete)
    {
        ArgumentNullException.ThrowIfNull(complete);
        if (t_lowered && s_relay is { } relay)
        {
            relay.Add(complete);
            return;
        }

        complete();
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a new thread lowered by <paramref name="increment"/>, so that the threads it
    /// starts (ONNX Runtime's intra-op pool, created with a session) inherit the lower priority.
    /// </summary>
    public static Task RunOnLoweredThreadAsync(Action work, int increment, string name)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            LowerCurrentThread(increment);
            try
            {
                work();
                OnRequestPath(() => done.SetResult());
            }
            catch (Exception e)
            {
                OnRequestPath(() => done.SetException(e));
            }
        })
        { IsBackground = true, Name = name };
        thread.Start();
        return done.Task;
    }

    private static void StartRelay()
    {
        lock (RelayStart)
        {
            if (s_relay is not null)
            {
                return;
            }

            var queue = new BlockingCollection<Action>();
            new Thread(() =>
            {
                foreach (var complete in queue.GetConsumingEnumerable())
                {
                    complete(); // TaskCompletionSource.TrySet…: continuations run elsewhere, nothing here throws
                }
            })
            { IsBackground = true, Name = "compute relay" }.Start();
            s_relay = queue;
        }
    }

    [LibraryImport("libc", EntryPoint = "nice", SetLastError = true)]
    private static partial int Nice(int increment);
}
