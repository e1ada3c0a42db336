using MatchService.Inference.Batching;
using MatchService.Server.Models;

namespace MatchService.Server.Tests;

public class PathAdmissionTests
{
    [Fact]
    public void BeforeAnyExitIsMeasured_EverythingIsAdmitted()
    {
        var door = new PathAdmission("det → emb", new ManualClock());
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
        var door = new PathAdmission("det → emb", clock);

        // One image alone takes 0.1 s: the rate is 10 images per second.
        using (var first = door.Admit(TimeSpan.FromSeconds(10)))
        {
            first.Measure();
            clock.Advance(TimeSpan.FromSeconds(0.1));
        }

        Assert.Equal(0.1, door.SecondsPerImage!.Value, 6);

        // 10 s deadline, 80 % of it usable: 80 images fit (the 80th finishes at 8 s); the 81st would finish at 8.1 s.
        var admitted = Enumerable.Range(0, 80).Select(_ => door.Admit(TimeSpan.FromSeconds(10))).ToList();
        var refused = Assert.Throws<DeadlineUnreachableException>(() => door.Admit(TimeSpan.FromSeconds(10)));
        Assert.Equal(80, refused.ItemsAhead);
        Assert.Equal(8000, refused.RetryPushbackMs);
        Assert.Contains("det → emb", refused.Message, StringComparison.Ordinal);
        Assert.Equal(80, door.InFlight); // a refusal holds nothing

        // A longer deadline still fits; once images leave, the short one fits again.
        using (door.Admit(TimeSpan.FromSeconds(20)))
        {
        }

        admitted.Take(10).ToList().ForEach(t => t.Dispose()); // unmeasured exits (e.g. failed decodes) do not change the rate
        Assert.Equal(0.1, door.SecondsPerImage!.Value, 6);
        using var fits = door.Admit(TimeSpan.FromSeconds(10));
        admitted.Skip(10).ToList().ForEach(t => t.Dispose());
    }

    [Fact]
    public void TheRateFollowsExitsUnderLoad_AndIdleTimeIsNotCounted()
    {
        var clock = new ManualClock();
        var door = new PathAdmission("det", clock);
        using (var t = door.Admit(TimeSpan.FromSeconds(10)))
        {
            t.Measure();
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        clock.Advance(TimeSpan.FromMinutes(5)); // idle
        var busy = Enumerable.Range(0, 60).Select(_ => door.Admit(TimeSpan.FromSeconds(100))).ToList();
        foreach (var t in busy)
        {
            t.Measure();
            clock.Advance(TimeSpan.FromSeconds(0.05)); // leaving 20 per second
            t.Dispose();
        }

        Assert.InRange(door.SecondsPerImage!.Value, 0.05, 0.055); // from 1 s towards 0.05 s; the idle 5 min never counted
    }

    [Fact]
    public void ATicketIsLetOutOnce()
    {
        var door = new PathAdmission("det", new ManualClock());
        using var other = door.Admit(TimeSpan.FromSeconds(1));
        var ticket = door.Admit(TimeSpan.FromSeconds(1));
        ticket.Dispose();
        ticket.Dispose();
        Assert.Equal(1, door.InFlight);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
