using MatchService.Inference.Batching;
using MatchService.Server.Models;

namespace MatchService.Server.Tests;

public class PathAdmissionTests
{
    [Fact]
    public void BeforeTwoExitsAreMeasured_EverythingIsAdmitted()
    {
        var clock = new ManualClock();
        using var door = new PathAdmission("det → emb", clock);
        Pass(door, clock, TimeSpan.FromSeconds(1));
        var tickets = Enumerable.Range(0, 500).Select(_ => door.Admit(TimeSpan.FromMilliseconds(1))).ToList();
        Assert.Equal(500, door.InFlight);
        tickets.ForEach(t => t.Dispose());
        Assert.Equal(0, door.InFlight);
        Assert.Null(door.SecondsPerImage);
    }

    [Fact]
    public void ImagesAheadAtTheMeasuredRate_RefuseTheOneThatCannotFinish_WithThePushbackOfTheWorkAhead()
    {
        var clock = new ManualClock();
        using var door = new PathAdmission("det → emb", clock);
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        Assert.Equal(0.1, door.SecondsPerImage!.Value, 6);

        // 10 s deadline, 70 % of it usable: 70 images fit (the 70th finishes at 7 s); the 71st would finish at 7.1 s.
        var admitted = Enumerable.Range(0, 70).Select(_ => door.Admit(TimeSpan.FromSeconds(10))).ToList();
        var refused = Assert.Throws<DeadlineUnreachableException>(() => door.Admit(TimeSpan.FromSeconds(10)));
        Assert.Equal(70, refused.ItemsAhead);
        Assert.Equal(7000, refused.RetryPushbackMs);
        Assert.Contains("det → emb", refused.Message, StringComparison.Ordinal);
        Assert.Equal(70, door.InFlight); // a refusal holds nothing

        using (door.Admit(TimeSpan.FromSeconds(20)))
        {
            // a longer deadline still fits
        }

        // Exits without model work (failed decodes) leave the rate alone; once images leave, the short deadline fits again.
        admitted.Take(10).ToList().ForEach(t => t.Dispose());
        Assert.Equal(0.1, door.SecondsPerImage!.Value, 6);
        using var fits = door.Admit(TimeSpan.FromSeconds(10));
        admitted.Skip(10).ToList().ForEach(t => t.Dispose());
    }

    [Fact]
    public void TheRateIsThatOfTheLastExits_UnderLoad_AndIdleTimeIsNotCounted()
    {
        var clock = new ManualClock();
        using var door = new PathAdmission("det", clock);
        for (var i = 0; i < 10; i++)
        {
            Pass(door, clock, TimeSpan.FromSeconds(1));
            clock.Advance(TimeSpan.FromMinutes(5)); // idle between calls
        }

        Assert.Equal(1, door.SecondsPerImage!.Value, 6);

        // Under load images leave in clumps (a batch ends together): two at once every 0.1 s is 0.05 s per image.
        var busy = Enumerable.Range(0, PathAdmission.RateWindow * 2).Select(_ => door.Admit(TimeSpan.FromHours(1))).ToList();
        foreach (var pair in busy.Chunk(2))
        {
            clock.Advance(TimeSpan.FromSeconds(0.1));
            foreach (var t in pair)
            {
                t.Measure();
                t.Dispose();
            }
        }

        Assert.InRange(door.SecondsPerImage!.Value, 0.049, 0.052);
    }

    [Fact]
    public void TheImagesOfOneCallAreAdmittedTogether_OrNotAtAll()
    {
        var clock = new ManualClock();
        using var door = new PathAdmission("det", clock);
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        var ahead = Enumerable.Range(0, 68).Select(_ => door.Admit(TimeSpan.FromSeconds(10))).ToList();

        // 68 ahead: one more image fits (69 × 0.1 s ≤ 7 s), a pair finishes at 7 s (fits), three would not.
        Assert.Throws<DeadlineUnreachableException>(() => door.Admit(TimeSpan.FromSeconds(10), images: 3));
        Assert.Equal(68, door.InFlight);
        using (var pair = door.Admit(TimeSpan.FromSeconds(10), images: 2))
        {
            Assert.Equal(70, door.InFlight);
            pair.Measure(); // one side finished, the other failed: one exit measures the rate
        }

        Assert.Equal(68, door.InFlight);
        ahead.ForEach(t => t.Dispose());
    }

    [Fact]
    public void ARefusalIsForeseenWithoutAdmittingAnything()
    {
        var clock = new ManualClock();
        using var door = new PathAdmission("det", clock);
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        Pass(door, clock, TimeSpan.FromSeconds(0.1));
        var ahead = Enumerable.Range(0, 70).Select(_ => door.Admit(TimeSpan.FromSeconds(10))).ToList();

        var foreseen = door.Refusal(TimeSpan.FromSeconds(10));
        Assert.NotNull(foreseen);
        Assert.Equal(Assert.Throws<DeadlineUnreachableException>(() => door.Admit(TimeSpan.FromSeconds(10))).Message, foreseen.Message);
        Assert.Null(door.Refusal(TimeSpan.FromSeconds(20)));
        Assert.Equal(70, door.InFlight);
        ahead.ForEach(t => t.Dispose());
    }

    [Fact]
    public void ATicketIsLetOutOnce()
    {
        using var door = new PathAdmission("det", new ManualClock());
        using var other = door.Admit(TimeSpan.FromSeconds(1));
        var ticket = door.Admit(TimeSpan.FromSeconds(1));
        ticket.Dispose();
        ticket.Dispose();
        Assert.Equal(1, door.InFlight);
    }

    [Fact]
    public async Task AtMostTheBoundAreWorkedOn_TheNextWaitsItsTurn_AndACancelledWaitTakesNoPlace()
    {
        using var door = new PathAdmission("det", new ManualClock(), maxInService: 2);
        var tickets = Enumerable.Range(0, 4).Select(_ => door.Admit(TimeSpan.FromSeconds(1))).ToList();
        var first = await door.EnterServiceAsync(CancellationToken.None);
        var second = await door.EnterServiceAsync(CancellationToken.None);
        Assert.Equal(2, door.InService);

        using var cancel = new CancellationTokenSource();
        var cancelled = door.EnterServiceAsync(cancel.Token);
        var third = door.EnterServiceAsync(CancellationToken.None);
        Assert.False(cancelled.IsCompleted);
        Assert.False(third.IsCompleted);
        Assert.Equal(4, door.InFlight); // waiting for a place is being inside the door: it counts against the deadline

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.False(third.IsCompleted);

        first.Dispose();
        first.Dispose(); // a place is given back once
        using (await third)
        {
            Assert.Equal(2, door.InService);
        }

        second.Dispose();
        Assert.Equal(0, door.InService);
        tickets.ForEach(t => t.Dispose());
    }

    /// <summary>One image through the chain alone, taking <paramref name="takes"/>.</summary>
    private static void Pass(PathAdmission door, ManualClock clock, TimeSpan takes)
    {
        using var ticket = door.Admit(TimeSpan.FromHours(1));
        ticket.Measure();
        clock.Advance(takes);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
