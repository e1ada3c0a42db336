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

    /// <summary>Creates a pool that keeps at most <paramref name="maxKeptBytes"/> of returned large arrays.</summary>
    public LargeArrayPool(long maxKeptBytes) => MaxKeptBytes = maxKeptBytes;

    /// <summary>Returned large arrays kept for reuse at most, in bytes; beyond it they are left to the GC.</summary>
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

        lock (_lock)
        {
            // Best fit, but never more than twice the size asked for: a huge array would serve a small image poorly.
            var best = -1;
            for (var i = 0; i < _kept.Count; i++)
            {
                var length = _kept[i].Length;
                if (length >= minimumLength && length <= 2L * minimumLength && (best < 0 || length < _kept[best].Length))
                {
                    best = i;
                }
            }

            if (best >= 0)
            {
                var array = _kept[best];
                _kept.RemoveAt(best);
                _keptBytes -= (long)array.Length * ElementSize;
                return array;
            }
        }

        var granules = (((long)minimumLength * ElementSize) + Granule - 1) / Granule;
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

        lock (_lock)
        {
            var bytes = (long)array.Length * ElementSize;
            if (_keptBytes + bytes <= MaxKeptBytes)
            {
                _kept.Add(array);
                _keptBytes += bytes;
            }
        }
    }

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
