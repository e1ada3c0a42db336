namespace MatchService.Server.Hosting;

/// <summary>
/// Work that must finish before the service reports SERVING (model loading and warm-up: one max-size batch per model).
/// The inference engine registers its implementation with <c>services.AddSingleton&lt;IStartupWarmup, ...&gt;()</c>.
/// </summary>
internal interface IStartupWarmup
{
    /// <summary>Human-readable name for the log.</summary>
    string Name { get; }

    /// <summary>Warms up; an exception keeps the service NOT_SERVING and is logged.</summary>
    Task WarmUpAsync(CancellationToken cancellationToken);
}
