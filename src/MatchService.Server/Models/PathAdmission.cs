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
/// exit rate (busy seconds between exits, smoothed), is what keeps admitted calls finishing in time. Until the first
/// exit has been measured nothing is refused.
/// </remarks>
public sealed class PathAdmission(string name, TimeProvider time)
{
    // The share of its remaining time an admitted image is expected to use: the rest absorbs the estimate's error.
    private const double Headroom = 0.8;

    // Weight of the newest gap between exits in the smoothed seconds per image.
    private const double Smoothing = 0.1;

    private readonly Lock _lock = new();
    private int _inFlight;
    private long _lastExit;
    private double _secondsPerImage;

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

    /// <summary>Smoothed busy seconds between two images leaving the chain; null before the first.</summary>
    public double? SecondsPerImage
    {
        get
        {
            lock (_lock)
            {
                return _secondsPerImage > 0 ? _secondsPerImage : null;
            }
        }
    }

    /// <summary>Admits one image that has <paramref name="remaining"/> until its deadline; dispose the ticket when it is out.</summary>
    /// <exception cref="DeadlineUnreachableException">The images ahead would keep it past its deadline.</exception>
    public Ticket Admit(TimeSpan remaining)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            if (_secondsPerImage > 0)
            {
                var finish = TimeSpan.FromSeconds((_inFlight + 1) * _secondsPerImage);
                if (finish > remaining * Headroom)
                {
                    var drain = Math.Ceiling(_inFlight * _secondsPerImage * 1000);
                    throw new DeadlineUnreachableException(name, _inFlight, finish, remaining, (int)Math.Clamp(drain, 1, 60_000));
                }
            }

            if (_inFlight++ == 0)
            {
                _lastExit = now; // a busy period starts: idle time is not service time
            }
        }

        return new Ticket(this);
    }

    private void Exit(bool measured)
    {
        var now = time.GetTimestamp();
        lock (_lock)
        {
            _inFlight--;
            if (!measured)
            {
                return; // a refusal or a failed decode did no model work: its exit says nothing about the rate
            }

            var gap = time.GetElapsedTime(_lastExit, now).TotalSeconds;
            _secondsPerImage = _secondsPerImage > 0 ? _secondsPerImage + (Smoothing * (gap - _secondsPerImage)) : gap;
            _lastExit = now;
        }
    }

    /// <summary>One admitted image. Disposing it lets it out; its exit counts toward the rate once <see cref="Measure"/>d.</summary>
    public sealed class Ticket(PathAdmission door) : IDisposable
    {
        private int _state; // 0 admitted, 1 measured, 2 out

        /// <summary>The image went on to the models: its exit measures the chain's rate.</summary>
        public void Measure() => Interlocked.CompareExchange(ref _state, 1, 0);

        /// <inheritdoc />
        public void Dispose()
        {
            var state = Interlocked.Exchange(ref _state, 2);
            if (state != 2)
            {
                door.Exit(measured: state == 1);
            }
        }
    }
}
