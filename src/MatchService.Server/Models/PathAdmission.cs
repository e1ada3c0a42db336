using MatchService.Inference.Batching;

namespace MatchService.Server.Models;

/// <summary>
/// The door of a chain of models that every image of a call passes through (detector → landmarks → embedder): an image
/// is admitted only when the images admitted ahead of it, leaving at the rate images have lately been leaving the
/// chain, leave it time to finish within its deadline; otherwise it is refused at once with the time the work ahead
/// needs as its pushback.
/// </summary>
/// <remarks>
/// Each model's own check sees only its queue as it is now. Images that are admitted but not queued yet — waiting for
/// the pixel budget, decoding, between two models — are invisible to it, so under a burst every call passes it at once
/// and then waits out its deadline in the pixel budget's queue. Counting admitted images here, against the measured
/// exit rate, is what keeps admitted calls finishing in time. The rate is taken over the last
/// <see cref="RateWindow"/> exits on a clock that runs only while something is in flight (idle time is not service
/// time); exits come in clumps (a batch of views ends together), so a short average would swing with them. Until two
/// exits have been measured nothing is refused.
/// <para>
/// Admitted images are worked on (decoded, run through the models) at most <c>maxInService</c> at a time, in order of
/// arrival; the others wait their turn inside the door, still counted. More images in work than the models can batch
/// add no throughput: they hold decoded pixels, and on a small CPU the chain's throughput fell with them (measured on
/// 2 cores: 14.1 calls/s at 200 callers with no bound against 16.7 at 8; with 16 images in work, 16.3 against 17.9).
/// </para>
/// </remarks>
public sealed class PathAdmission(string name, TimeProvider time, int maxInService = int.MaxValue) : IDisposable
{
    /// <summary>Exits the rate is measured over.</summary>
    public const int RateWindow = 64;

    // The share of its remaining time an admitted image is expected to use: the rest absorbs the estimate's error
    // (throughput falls a little as more is in flight; stages are not strictly first come, first served).
    private const double Headroom = 0.7;

    private readonly Lock _lock = new();
    private readonly long[] _exits = new long[RateWindow]; // busy-clock ticks at the last exits, a ring
    private readonly SemaphoreSlim _service = new(maxInService);
    private long _exitCount; // long: a busy GPU server passes 2^31 images in days
    private int _inFlight;
    private long _busyTicks;
    private long _lastEvent;

    /// <summary>The chain's name in refusals, e.g. <c>face_detector → face_landmarks → face_recognition</c>.</summary>
    public string Name => name;

    /// <summary>Images admitted and not yet out.</summary>
    public int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    /// <summary>Admitted images being worked on now (at most the bound the door was made with).</summary>
    public int InService => maxInService - _service.CurrentCount;

    /// <summary>Busy seconds per image leaving the chain, over the last <see cref="RateWindow"/> exits; null before two.</summary>
    public double? SecondsPerImage
    {
        get
        {
            lock (_lock)
            {
                return Rate();
            }
        }
    }

    /// <summary>
    /// Admits <paramref name="images"/> images (the images of one call, together, so that a call is not half admitted)
    /// that have <paramref name="remaining"/> until their deadline; dispose the ticket when they are out.
    /// </summary>
    /// <exception cref="DeadlineUnreachableException">The images ahead would keep them past their deadline.</exception>
    public Ticket Admit(TimeSpan remaining, int images = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        lock (_lock)
        {
            if (RefusalNow(remaining, images) is { } refusal)
            {
                throw refusal;
            }

            Tick();
            _inFlight += images;
        }

        return new Ticket(this, images);
    }

    /// <summary>
    /// The refusal <see cref="Admit"/> would give <paramref name="images"/> images with <paramref name="remaining"/>
    /// until their deadline now, or null when it would admit them; admits nothing (a look before a call's images have
    /// arrived).
    /// </summary>
    public DeadlineUnreachableException? Refusal(TimeSpan remaining, int images = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        lock (_lock)
        {
            return RefusalNow(remaining, images);
        }
    }

    /// <summary>
    /// Waits until this admitted image may be worked on (fewer than the bound are), in order of arrival; dispose the
    /// result when its work is done.
    /// </summary>
    /// <exception cref="OperationCanceledException">The call ended while waiting; it took no place.</exception>
    public async Task<IDisposable> EnterServiceAsync(CancellationToken cancellationToken)
    {
        await _service.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ServicePlace(_service);
    }

    /// <inheritdoc />
    public void Dispose() => _service.Dispose();

    private void Exit(int images, int measured)
    {
        lock (_lock)
        {
            Tick();
            _inFlight -= images;
            for (var i = 0; i < measured; i++)
            {
                _exits[_exitCount++ % RateWindow] = _busyTicks;
            }
        }
    }

    /// <summary>Why <paramref name="images"/> more would not finish in time, or null. Called under the lock.</summary>
    private DeadlineUnreachableException? RefusalNow(TimeSpan remaining, int images)
    {
        if (Rate() is not { } perImage)
        {
            return null;
        }

        var finish = TimeSpan.FromSeconds((_inFlight + images) * perImage);
        if (finish <= remaining * Headroom)
        {
            return null;
        }

        var drain = Math.Ceiling(_inFlight * perImage * 1000);
        return new DeadlineUnreachableException(name, _inFlight, finish, remaining, (int)Math.Clamp(drain, 1, 60_000));
    }

    /// <summary>Advances the busy clock to now (it runs while something is in flight). Called under the lock.</summary>
    private void Tick()
    {
        var now = time.GetTimestamp();
        if (_inFlight > 0)
        {
            _busyTicks += now - _lastEvent;
        }

        _lastEvent = now;
    }

    /// <summary>Busy seconds per exit over the window; null before two exits. Called under the lock.</summary>
    private double? Rate()
    {
        var n = (int)Math.Min(_exitCount, RateWindow);
        if (n < 2)
        {
            return null;
        }

        var newest = _exits[(_exitCount - 1) % RateWindow];
        var oldest = _exits[(_exitCount - n) % RateWindow];
        return (double)(newest - oldest) / time.TimestampFrequency / (n - 1);
    }

    private sealed class ServicePlace(SemaphoreSlim service) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
            {
                service.Release();
            }
        }
    }

    /// <summary>Admitted images. Disposing the ticket lets them out; those <see cref="Measure"/>d count toward the rate.</summary>
    public sealed class Ticket(PathAdmission door, int images) : IDisposable
    {
        private int _measured;
        private int _out;

        /// <summary>The images it admitted.</summary>
        public int Images => images;

        /// <summary>
        /// The chain finished one of the images: its exit measures the chain's rate. A refused, failed or cancelled image
        /// leaves early and would make the chain look faster than it is, admitting more, which are then cancelled in turn.
        /// </summary>
        public void Measure()
        {
            if (Interlocked.Increment(ref _measured) > images)
            {
                Interlocked.Decrement(ref _measured);
            }
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _out, 1) == 0)
            {
                door.Exit(images, Volatile.Read(ref _measured));
            }
        }
    }
}
