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
        var collect = false;
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
            collect = Drop(_keptBytes + _rentedBytes - MaxKeptBytes);
        }

        if (collect)
        {
            CollectInBackground();
        }

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

        bool collect;
        lock (_lock)
        {
            // Keep the largest arrays (they serve every request): the smallest kept ones make room, or this one goes.
            _kept.Add(array);
            _keptBytes += (long)array.Length * ElementSize;
            _rentedBytes = Math.Max(0, _rentedBytes - ((long)array.Length * ElementSize));
            collect = Drop(_keptBytes + _rentedBytes - MaxKeptBytes);
        }

        if (collect)
        {
            CollectInBackground();
        }
    }

    /// <summary>Drops kept arrays, smallest first, until at least <paramref name="bytes"/> are gone or none is left;
    /// true when enough dropped arrays have piled up to ask for a collection. Called under the lock.</summary>
    private bool Drop(long bytes)
    {
        while (bytes > 0 && _kept.Count > 0)
        {
            var smallest = 0;
            for (var i = 1; i < _kept.Count; i++)
            {
                smallest = _kept[i].Length < _kept[smallest].Length ? i : smallest;
            }

            var dropped = (long)_kept[smallest].Length * ElementSize;
            _kept.RemoveAt(smallest);
            _keptBytes -= dropped;
            _droppedBytes += dropped;
            bytes -= dropped;
        }

        // Dropped arrays are large-object garbage, collected only by a full collection, which the allocation budget of a
        // big heap may not trigger for gigabytes: ask for a background one once enough has piled up.
        if (_droppedBytes < CollectAfterDroppedBytes)
        {
            return false;
        }

        _droppedBytes = 0;
        return true;
    }

    // Forced: an Optimized request may be declined, and the dropped arrays then stay until the heap's own budget runs out.
    private static void CollectInBackground() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: false);

    /// <summary>Bytes of dropped large arrays after which a background full collection is requested.</summary>
    public long CollectAfterDroppedBytes { get; set; } = 256L << 20;

    /// <summary>Lets every kept large array go (the next collection can give the memory back to the system).</summary>
    public void Trim()
    {
        lock (_lock)
        {
            _kept.Clear();
            _keptBytes = 0;
        }
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
