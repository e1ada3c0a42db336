using System.Runtime.InteropServices;

namespace MatchService.Imaging.Memory;

/// <summary>
/// Gives the memory pages of a large array that is about to become garbage back to the operating system at once
/// (Linux <c>madvise(MADV_DONTNEED)</c>), instead of when a full collection frees it, which under server GC can be
/// hundreds of megabytes of allocations later.
/// </summary>
/// <remarks>
/// Safe for arrays of unmanaged elements nobody uses any more: the GC never reads their contents, the pages read as
/// zeros if touched again, and large-object arrays do not move. Only whole pages inside the array are given back (the
/// object's header and the partial pages at either end stay).
/// </remarks>
public static partial class ArrayPages
{
    private const int DontNeed = 4; // MADV_DONTNEED

    /// <summary>Gives back the pages of <paramref name="array"/>; its contents are lost. No-op off Linux.</summary>
    /// <returns>The bytes given back (0 when none, or off Linux).</returns>
    public static unsafe long Discard<T>(T[] array)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(array);
        if (!OperatingSystem.IsLinux() || array.Length == 0)
        {
            return 0;
        }

        long page = Environment.SystemPageSize;
        fixed (T* data = array)
        {
            var start = ((long)data + page - 1) / page * page;
            var end = ((long)data + ((long)array.Length * sizeof(T))) / page * page;
            if (end <= start)
            {
                return 0;
            }

            return Advise((nint)start, (nuint)(end - start), DontNeed) == 0 ? end - start : 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}
