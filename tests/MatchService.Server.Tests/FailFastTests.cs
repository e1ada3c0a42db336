
using MatchService.Server.Hosting;

namespace MatchService.Server.Tests;

public class FailFastTests
{
    [Fact]
    public async Task AllSucceed_ResultsInOrder()
    {
        var results = await FailFast.WhenAllAsync<int>([_ => Task.FromResult(1), async _ => { await Task.Yield(); return 2; }], CancellationToken.None);
        Assert.Equal([1, 2], results);
    }

    [Fact]
    public async Task TheFirstFailureCancelsTheOtherPart_AndIsTheOneThrown_AfterTheOtherHasEnded()
    {
        var otherEnded = false;
        var refused = new InvalidOperationException("refused at the door");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => FailFast.WhenAllAsync<int>(
            [
                async token =>
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, token); // a side waiting for its models
                        return 1;
                    }
                    finally
                    {
                        otherEnded = true;
                    }
                },
                async _ =>
                {
                    await Task.Yield();
                    throw refused;
                },
            ], CancellationToken.None));
        Assert.Same(refused, error);
        Assert.True(otherEnded);
    }

    [Fact]
    public async Task TheCallersCancellation_ReachesEveryPart()
    {
        using var call = new CancellationTokenSource();
        var task = FailFast.WhenAllAsync<int>([async t => { await Task.Delay(Timeout.Infinite, t); return 1; }], call.Token);
        await call.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }
}
