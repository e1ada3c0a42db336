using MatchService.Server.Pipeline;

namespace MatchService.Server.Intake;

/// <summary>
/// The server-wide bound on decoded pixels in flight (<c>Pipeline:MaxDecodedPixelsInFlight</c>): every decode first
/// takes a lease of its decoded size and gives it back when the image is disposed, on success, failure and
/// cancellation alike. Waiters are served strictly in arrival order, so a large image is not starved by a stream of
/// small ones. An image larger than the whole budget waits until it can be alone (it is admitted against the capacity).
/// </summary>
/// <remarks>
/// The wait is bounded by the caller's cancellation (the call's deadline or cancellation), which leaves the queue at
/// once. Memory model: decoded pixels take 3 bytes each (RGB), so the budget bounds image memory to 3 × capacity bytes
/// plus the decoder's transient scratch (one image per decoding thread).
/// </remarks>
public sealed class DecodedPixelBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _available;
    private long _acquisitions;

    /// <summary>Creates a budget of <paramref name="capacity"/> pixels.</summary>
    public DecodedPixelBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
    }

    /// <summary>
    /// The budget for <paramref name="options"/>: <see cref="PipelineOptions.MaxDecodedPixelsInFlight"/>, or when that is
    /// 0, an eighth of <paramref name="availableMemoryBytes"/> at 3 bytes a pixel, never less than one largest image.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The setting is negative.</exception>
    public static DecodedPixelBudget For(PipelineOptions options, long availableMemoryBytes)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxDecodedPixelsInFlight < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxDecodedPixelsInFlight,
                "Pipeline:MaxDecodedPixelsInFlight must be 0 (sized for the machine) or a number of pixels");
        }

        return new DecodedPixelBudget(options.MaxDecodedPixelsInFlight > 0
            ? options.MaxDecodedPixelsInFlight
            : Math.Max(options.MaxImagePixels, availableMemoryBytes / 8 / 3));
    }

    /// <summary>Pixels that may be decoded and held at once.</summary>
    public long Capacity { get; }

    /// <summary>Pixels held by leases now.</summary>
    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Acquisitions so far (granted or not): a count that moves while images are being decoded.</summary>
    public long Acquisitions => Interlocked.Read(ref _acquisitions);

    /// <summary>Acquisitions waiting now.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// Takes <paramref name="pixels"/> (at most the capacity) from the budget, waiting behind earlier requests until
    /// they fit. Dispose the lease to give them back.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting; nothing is held.</exception>
    public ValueTask<Lease> AcquireAsync(long pixels, CancellationToken cancellationToken)
    {
        var amount = Math.Clamp(pixels, 1, Capacity);
        Interlocked.Increment(ref _acquisitions);
        Waiter waiter;
        lock (_lock)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_waiters.Count == 0 && _available >= amount)
            {
                _available -= amount;
                return ValueTask.FromResult(new Lease(this, amount));
            }

            waiter = new Waiter(this, amount);
            waiter.Node = _waiters.AddLast(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    private static async ValueTask<Lease> WaitAsync(Waiter waiter, CancellationToken cancellationToken)
    {
        using (cancellationToken.Register(static (s, token) => ((Waiter)s!).Budget.Cancel((Waiter)s!, token), waiter))
        {
            return await waiter.Granted.Task.ConfigureAwait(false);
        }
    }

    private void Cancel(Waiter waiter, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (waiter.Node?.List is null)
            {
                return; // already granted: the caller receives the lease and disposes it
            }

            _waiters.Remove(waiter.Node);
            waiter.Granted.TrySetCanceled(cancellationToken);
            GrantWaiting(); // a large waiter at the head may have held back smaller ones that now fit
        }
    }

    private void Release(long amount)
    {
        lock (_lock)
        {
            _available += amount;
            GrantWaiting();
        }
    }

    private void GrantWaiting()
    {
        while (_waiters.First is { } head && _available >= head.Value.Amount)
        {
            _waiters.RemoveFirst();
            _available -= head.Value.Amount;
            head.Value.Granted.TrySetResult(new Lease(this, head.Value.Amount));
        }
    }

    /// <summary>Pixels held from the budget; disposing gives them back (once).</summary>
    public sealed class Lease : IDisposable
    {
        private DecodedPixelBudget? _budget;

        internal Lease(DecodedPixelBudget budget, long pixels)
        {
            _budget = budget;
            Pixels = pixels;
        }

        /// <summary>Pixels held.</summary>
        public long Pixels { get; }

        /// <inheritdoc />
        public void Dispose() => Interlocked.Exchange(ref _budget, null)?.Release(Pixels);
    }

    private sealed class Waiter(DecodedPixelBudget budget, long amount)
    {
        public DecodedPixelBudget Budget { get; } = budget;

        public long Amount { get; } = amount;

        public TaskCompletionSource<Lease> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }
}
