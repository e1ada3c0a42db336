using MatchService.Server.Hosting;

namespace MatchService.Server.Models;

/// <summary>Tells the host's lifecycle that the service is SERVING only once the models are loaded and warmed up.</summary>
internal sealed class ModelHostWarmup(ModelHost models) : IStartupWarmup
{
    /// <inheritdoc />
    public string Name => "inference engine (model repository load and warm-up)";

    /// <inheritdoc />
    public Task WarmUpAsync(CancellationToken cancellationToken) => models.Ready.WaitAsync(cancellationToken);
}
