using MatchService.Imaging.Memory;

namespace MatchService.Imaging.Tests.Memory;

public class LargeArrayPoolTests
{
    private const int MiB = 1 << 20;

    [Fact]
    public void AReturnedArrayServesTheNextRequestItCovers_TheSmallestThatFits()
    {
        var pool = new LargeArrayPool<byte>(64L * MiB);
        var big = pool.Rent(8 * MiB);
        var small = pool.Rent(3 * MiB);
        pool.Return(big);
        pool.Return(small);
        Assert.Equal(big.Length + small.Length, pool.KeptBytes);

        Assert.Same(small, pool.Rent(2 * MiB)); // best fit, not the first kept
        Assert.Same(big, pool.Rent(5 * MiB));
        Assert.Equal(0, pool.KeptBytes);
    }

    [Fact]
    public void WhatIsKeptStaysWithinItsBound_TheSmallestGoFirst()
    {
        var pool = new LargeArrayPool<byte>(10L * MiB);
        var arrays = Enumerable.Range(2, 4).Select(m => pool.Rent(m * MiB)).ToArray();
        foreach (var a in arrays)
        {
            pool.Return(a);
        }

        Assert.InRange(pool.KeptBytes, 9L * MiB, 10L * MiB); // 4 + 5 kept, 2 and 3 dropped

        // Kept and rented together stay within the bound: with 9 MiB rented, a returned 4 MiB array is not kept.
        var rented = pool.Rent(9 * MiB);
        var extra = pool.Rent(4 * MiB);
        Assert.Equal(0, pool.KeptBytes);
        pool.Return(extra);
        Assert.Equal(0, pool.KeptBytes);
        pool.Return(rented);
    }

    [Fact]
    public void ADroppedArrayHasItsPagesGivenBack_AKeptOneKeepsItsContents()
    {
        var pool = new LargeArrayPool<byte>(5L * MiB);
        var dropped = pool.Rent(2 * MiB);
        var kept = pool.Rent(4 * MiB);
        Array.Fill(dropped, (byte)7);
        Array.Fill(kept, (byte)7);
        pool.Return(dropped); // with 4 MiB still rented, keeping it would pass the bound: it goes
        pool.Return(kept);

        Assert.Equal(4L * MiB, pool.KeptBytes);
        // The test still holds the dropped array (a caller must not): its pages were given back and read as zeros.
        Assert.Equal(0, dropped[MiB]);
        Assert.All(new[] { kept[0], kept[MiB], kept[kept.Length - 1] }, b => Assert.Equal(7, b));
    }

    [Fact]
    public void DiscardingGivesBackTheWholePagesInsideTheArray()
    {
        var array = GC.AllocateUninitializedArray<float>(3 * MiB);
        Array.Fill(array, 1f);
        var given = ArrayPages.Discard(array);

        // All but the partial pages at either end (the array's header shares the first).
        Assert.InRange(given, (3L * MiB * sizeof(float)) - (2L * Environment.SystemPageSize), 3L * MiB * sizeof(float));
        Assert.Equal(0f, array[MiB]);
        Assert.Equal(0, ArrayPages.Discard(Array.Empty<byte>()));
    }

    [Fact]
    public void ARequestNoKeptArrayCovers_TakesThePlaceOfKeptOnes()
    {
        // A burst of 2 MiB images fills the pool; then the sizes in demand change to 9 MiB: the kept 2 MiB arrays are
        // dropped as the new ones are allocated, so that kept plus rented stays within the bound.
        var pool = new LargeArrayPool<byte>(20L * MiB);
        var smalls = Enumerable.Range(0, 10).Select(_ => pool.Rent(2 * MiB)).ToList();
        smalls.ForEach(a => pool.Return(a));
        Assert.Equal(20L * MiB, pool.KeptBytes);

        var large = pool.Rent(9 * MiB);
        Assert.InRange(pool.KeptBytes, 10L * MiB, 11L * MiB); // five of the ten (10 MiB) made room for it
        pool.Return(large);
        Assert.Same(large, pool.Rent(9 * MiB));
    }

    [Fact]
    public void SmallRequestsGoToTheSharedPool_AndTrimLetsEverythingGo()
    {
        var pool = new LargeArrayPool<byte>(64L * MiB);
        var small = pool.Rent(1000);
        pool.Return(small);
        Assert.Equal(0, pool.KeptBytes);

        pool.Return(pool.Rent(4 * MiB));
        Assert.True(pool.KeptBytes >= 4L * MiB);
        pool.Trim();
        Assert.Equal(0, pool.KeptBytes);
    }
}
