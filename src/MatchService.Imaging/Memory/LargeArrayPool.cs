using System.Buffers;
using System.Runtime.CompilerServices;

namespace MatchService.Imaging.Memory;

/// <summary>
/// Pools the large arrays of image work (decoded pixels, codec scratch, resampling rows) with a bound on what it keeps
/// and a <see cref="Trim"/> that lets all of it go. <see cref="ArrayPool{T}.Shared"/> keeps up to eight arrays per
/// size per core, rounded up to a power of two (a 36-megapixel image takes a 128 MiB array), and trims only on a full
/// collection, which an idle server never has: memory taken in a burst stayed taken. Requests up to
/// <see cref="LargeThresholdBytes"/> still go to the shared pool.
/// </summary>
/// <typeparam name="T">Element type.</typeparam>
public sealed class LargeArrayPool<T> : ArrayPool<T>
    where T : unmanaged
{
    /// <summary>Arrays larger than this many bytes are pooled here; smaller ones by <see cref="ArrayPool{T}.Shared"/>.</summary>
    public const int LargeThresholdBytes = 1 << 20;

    private const int Granule = 64 * 1024; // large arrays are sized in 64 KiB steps, not powers of two

    private static readonly int ElementSize = Unsafe.SizeOf<T>();
    private static readonly int ThresholdLength = LargeThresholdBytes / ElementSize;

    private readonly Lock _lock = new();
    private readonly List<T[]> _kept = [];
    private long _keptBytes;
    private long _rentedBytes;
    private long _droppedBytes;

    /// <summary>Creates a pool that keeps at most <paramref name="maxKeptBytes"/> of returned large arrays.</summary>
    public LargeArrayPool(long maxKeptBytes) => MaxKeptBytes = maxKeptBytes;

    /// <summary>
    /// Large arrays kept for reuse and rented out together at most, in bytes: a returned array is kept only while both
    /// stay within it (rented arrays are not limited; beyond it returned ones are left to the GC).
    /// </summary>
    public long MaxKeptBytes { get; set; }

    /// <summary>Bytes of large arrays kept now.</summary>
    public long KeptBytes
    {
        get
        {
            lock (_lock)
            {
                return _keptBytes;
            }
        }
    }

    /// <inheritdoc />
    public override T[] Rent(int minimumLength)
    {
        if (minimumLength <= ThresholdLength)
        {
            return Shared.Rent(minimumLength);
        }

        var granules = (((long)minimumLength * ElementSize) + Granule - 1) / Granule;
        List<T[]>? dropped;
        bool collect;
        lock (_lock)
        {
            // Best fit: the smallest kept array that is large enough (a larger one serves rather than a new allocation).
            var best = -1;
            for (var i = 0; i < _kept.Count; i++)
            {
                var length = _kept[i].Length;
                if (length >= minimumLength && (best < 0 || length < _kept[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = _kept[best];
                _kept.RemoveAt(best);
                _keptBytes -= (long)array.Length * ElementSize;
                _rentedBytes += (long)array.Length * ElementSize;
                return array;
            }

            _rentedBytes += granules * Granule;

            // None fits (the sizes in demand changed: 2 MP photos, then 36 MP ones): the new array takes the place of
            // kept ones, smallest first, so that what is kept and rented together stays within the bound.
            dropped = Drop(_keptBytes + _rentedBytes - MaxKeptBytes, out collect);
        }

        Discard(dropped, collect);
        return GC.AllocateUninitializedArray<T>((int)Math.Min(Array.MaxLength, granules * Granule / ElementSize));
    }

    /// <inheritdoc />
    public override void Return(T[] array, bool clearArray = false)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Length <= ThresholdLength)
        {
            Shared.Return(array, clearArray);
            return;
        }

        if (clearArray)
        {
            Array.Clear(array);
        }

        List<T[]>? dropped;
        bool collect;
        lock (_lock)
        {
            // Keep the largest arrays (they serve every request): the smallest kept ones make room, or this one goes.
            _kept.Add(array);
            _keptBytes += (long)array.Length * ElementSize;
            _rentedBytes = Math.Max(0, _rentedBytes - ((long)array.Length * ElementSize));
            dropped = Drop(_keptBytes + _rentedBytes - MaxKeptBytes, out collect);
        }

        Discard(dropped, collect);
    }

    /// <summary>Takes kept arrays out, smallest first, until at least <paramref name="bytes"/> are gone or none is left;
    /// <paramref name="collect"/> is true when enough dropped arrays have piled up to ask for a collection. Called under
    /// the lock; the caller discards what it returns after leaving it.</summary>
    private List<T[]>? Drop(long bytes, out bool collect)
    {
        List<T[]>? dropped = null;
        while (bytes > 0 && _kept.Count > 0)
        {
            var smallest = 0;
            for (var i = 1; i < _kept.Count; i++)
            {
                smallest = _kept[i].Length < _kept[smallest].Length ? i : smallest;
            }

            (dropped ??= []).Add(_kept[smallest]);
            var size = (long)_kept[smallest].Length * ElementSize;
            _kept.RemoveAt(smallest);
            _keptBytes -= size;
            _droppedBytes += size;
            bytes -= size;
        }

        // Dropped arrays are large-object garbage, collected only by a full collection, which the allocation budget of a
        // big heap may not trigger for gigabytes: ask for a background one once enough has piled up.
        collect = _droppedBytes >= CollectAfterDroppedBytes;
        if (collect)
        {
            _droppedBytes = 0;
        }

        return dropped;
    }

    /// <summary>
    /// Gives the pages of dropped arrays back to the system now (<see cref="ArrayPages"/>): as garbage they would count
    /// in the process's memory until a full collection, and a burst of new sizes drops a whole pool's worth at once.
    /// </summary>
    private static void Discard(List<T[]>? dropped, bool collect)
    {
        foreach (var array in dropped ?? [])
        {
            ArrayPages.Discard(array);
        }

        if (collect)
        {
            CollectInBackground();
        }
    }

    // Forced: an Optimized request may be declined, and the dropped arrays then stay until the heap's own budget runs out.
    private static void CollectInBackground() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);

    /// <summary>Bytes of dropped large arrays after which a background full collection is requested.</summary>
    public long CollectAfterDroppedBytes { get; set; } = 256L << 20;

    /// <summary>Lets every kept large array go, its pages given back to the system at once.</summary>
    public void Trim()
    {
        List<T[]> trimmed;
        lock (_lock)
        {
            trimmed = [.. _kept];
            _kept.Clear();
            _keptBytes = 0;
        }

        Discard(trimmed, collect: false);
    }
}

/// <summary>The pools the image work rents its large arrays from.</summary>
public static class ImageArrayPools
{
    /// <summary>Pixels and codec scratch.</summary>
    public static LargeArrayPool<byte> Bytes { get; } = new(256L << 20);

    /// <summary>Resampling rows.</summary>
    public static LargeArrayPool<float> Floats { get; } = new(128L << 20);

    /// <summary>Bytes of large arrays both pools keep now.</summary>
    public static long KeptBytes => Bytes.KeptBytes + Floats.KeptBytes;

    /// <summary>Lets every kept large array go (call when idle; the next collection returns the memory).</summary>
    public static void Trim()
    {
        Bytes.Trim();
        Floats.Trim();
    }
}
