namespace MatchService.Server.Hosting;

/// <summary>Parts of one call that run side by side and are useless without each other (the two sides of a comparison).</summary>
internal static class FailFast
{
    /// <summary>
    /// Runs every part; the first to fail cancels the others and its exception is the call's, thrown once the others
    /// have ended (so nothing of the call is still running or holding budget when the caller hears of it). Without this a
    /// side refused at the door would wait for the other side's models before the refusal is sent.
    /// </summary>
    public static async Task<T[]> WhenAllAsync<T>(IReadOnlyList<Func<CancellationToken, Task<T>>> parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = parts.Select(part => part(linked.Token)).ToArray();
        Task<T>? failed = null;
        foreach (var task in await Task.WhenAll(tasks.Select(t => t.ContinueWith(
            done =>
            {
                if (!done.IsCompletedSuccessfully && Interlocked.CompareExchange(ref failed, done, null) is null)
                {
                    linked.Cancel();
                }

                return done;
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false))
        {
            _ = task.Exception; // observed: only the first failure is the call's
        }

        return failed is null ? tasks.Select(t => t.Result).ToArray() : [await failed.ConfigureAwait(false)];
    }
}
