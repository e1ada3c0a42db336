using Grpc.Core;

namespace MatchService.Server.Models;

/// <summary>The time a call has left, passed to the engine as the items' deadline (the model's timeout_ms applies only without one).</summary>
public static class CallDeadline
{
    /// <summary>Remaining time until the call's deadline; null when the client set none.</summary>
    public static TimeSpan? Remaining(ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Deadline == DateTime.MaxValue)
        {
            return null;
        }

        var left = context.Deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
