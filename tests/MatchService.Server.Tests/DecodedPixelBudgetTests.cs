using Google.Protobuf;
using Grpc.Core;
using MatchService.Inference.Runtime;
using MatchService.Server.Intake;
using MatchService.Server.Pipeline;
using MatchService.Server.Telemetry;
using Microsoft.Extensions.Options;
using ProtoImage = MatchService.Contracts.V1.Image;

namespace MatchService.Server.Tests;

/// <summary>
/// The server-wide decoded-pixel budget: a decode that would exceed it waits, in arrival order, and proceeds when
/// pixels come back; every path (success, decode failure, bad header, cancellation) gives back what it took. Real
/// JPEGs (face-api's demo photos) through the real decoder.
/// </summary>
public sealed class DecodedPixelBudgetTests
{
    private static readonly string Photo = Path.Combine(RepoPaths.Root, ".cache", "npm", "face-api-1.7.15", "package", "demo", "sample1.jpg");

    [Fact]
    public async Task AcquisitionBeyondTheBudget_Waits_ThenProceedsWhenPixelsComeBack()
    {
        var budget = new DecodedPixelBudget(100);
        var first = await budget.AcquireAsync(70, CancellationToken.None);
        var second = budget.AcquireAsync(50, CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.Equal(70, budget.InUse);
        Assert.Equal(1, budget.Waiting);

        first.Dispose();
        first.Dispose(); // a second dispose gives nothing back twice
        using var granted = await second;
        Assert.Equal(50, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task Waiters_AreServedInArrivalOrder_SoALargeImageIsNotStarvedBySmallOnes()
    {
        var budget = new DecodedPixelBudget(100);
        var held = await budget.AcquireAsync(60, CancellationToken.None);
        var large = budget.AcquireAsync(90, CancellationToken.None);
        var small = budget.AcquireAsync(20, CancellationToken.None); // would fit now, but arrived after the large one
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        held.Dispose();
        using (await large)
        {
            Assert.Equal(90, budget.InUse);
            Assert.False(small.IsCompleted); // 90 + 20 does not fit: it waits for the large one
        }

        using (await small)
        {
            Assert.Equal(20, budget.InUse);
        }

        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public async Task CancelledWaiter_HoldsNothing_AndLetsTheOnesBehindItThrough()
    {
        var budget = new DecodedPixelBudget(100);
        var held = await budget.AcquireAsync(50, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = budget.AcquireAsync(80, cts.Token);
        var behind = budget.AcquireAsync(40, CancellationToken.None);
        Assert.False(behind.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await cancelled);
        using (await behind)
        {
            Assert.Equal(90, budget.InUse);
        }

        held.Dispose();
        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    [Fact]
    public async Task ImageLargerThanTheWholeBudget_WaitsToBeAlone_InsteadOfNever()
    {
        var budget = new DecodedPixelBudget(100);
        var small = await budget.AcquireAsync(1, CancellationToken.None);
        var huge = budget.AcquireAsync(1_000, CancellationToken.None);
        Assert.False(huge.IsCompleted);
        small.Dispose();
        using var lease = await huge;
        Assert.Equal(100, lease.Pixels);
        Assert.Equal(100, budget.InUse);
    }

    [Fact]
    public void DefaultCapacity_IsAnEighthOfMemoryAt3BytesAPixel_AtLeastOneLargestImage()
    {
        Assert.Equal((8L << 30) / 8 / 3, DecodedPixelBudget.For(new PipelineOptions(), 8L << 30).Capacity);
        Assert.Equal(40_000_000, DecodedPixelBudget.For(new PipelineOptions(), 1L << 20).Capacity);
        Assert.Equal(123, DecodedPixelBudget.For(new PipelineOptions { MaxDecodedPixelsInFlight = 123 }, 8L << 30).Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => DecodedPixelBudget.For(new PipelineOptions { MaxDecodedPixelsInFlight = -1 }, 8L << 30));
    }

    [SkippableFactWhenPhotoMissing]
    public async Task Intake_HoldsTheDecodedPixelsUntilTheImageIsDisposed()
    {
        var (intake, budget) = Intake(capacity: 50_000_000);
        var image = new ProtoImage { Id = "sample1", Data = ByteString.CopyFrom(File.ReadAllBytes(Photo)) };

        var decoded = await intake.DecodeAsync(image, "image", CancellationToken.None);
        Assert.Equal((long)decoded.Image.Width * decoded.Image.Height, budget.InUse);
        decoded.Dispose();
        Assert.Equal(0, budget.InUse);

        // A scaled decode takes only the pixels it produces.
        using var scaled = await intake.DecodeAsync(image, "image", new Imaging.DecodeRequest(100, 100), CancellationToken.None);
        Assert.True(scaled.Scale < 1);
        Assert.Equal((long)scaled.Image.Width * scaled.Image.Height, budget.InUse);
    }

    [SkippableFactWhenPhotoMissing]
    public async Task Intake_GivesThePixelsBack_WhenTheDecodeFails_OrTheHeaderIsBad()
    {
        var (intake, budget) = Intake(capacity: 50_000_000);
        var bytes = File.ReadAllBytes(Photo);
        var truncated = new ProtoImage { Id = "cut.jpg", Data = ByteString.CopyFrom(bytes, 0, bytes.Length / 2) };

        var e = await Assert.ThrowsAsync<RpcException>(() => intake.DecodeAsync(truncated, "image", CancellationToken.None));
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("cut.jpg", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, budget.InUse);

        var junk = new ProtoImage { Id = "junk", Data = ByteString.CopyFromUtf8("not an image at all") };
        var bad = await Assert.ThrowsAsync<RpcException>(() => intake.DecodeAsync(junk, "image", CancellationToken.None));
        Assert.Contains("not a JPEG, PNG or WebP", bad.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    [SkippableFactWhenPhotoMissing]
    public async Task Intake_CancelledWhileWaitingForTheBudget_HoldsNothing_AndTheWaitingCallProceedsAfterwards()
    {
        var (intake, budget) = Intake(capacity: 1_000_000); // the photo alone fits; two do not
        var image = new ProtoImage { Id = "sample1", Data = ByteString.CopyFrom(File.ReadAllBytes(Photo)) };
        var first = await intake.DecodeAsync(image, "image", CancellationToken.None);
        var used = budget.InUse;

        using var cts = new CancellationTokenSource();
        var cancelled = intake.DecodeAsync(image, "image", cts.Token);
        var waiting = intake.DecodeAsync(image, "image", CancellationToken.None);
        Assert.False(cancelled.IsCompleted);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(2, budget.Waiting);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Equal(used, budget.InUse);
        Assert.False(waiting.IsCompleted); // still behind the first image

        first.Dispose();
        using (var second = await waiting)
        {
            Assert.Equal(used, budget.InUse);
        }

        Assert.Equal(0, budget.InUse);
        Assert.Equal(0, budget.Waiting);
    }

    private static readonly ComputeThreads Threads = new(threads: 2, nice: 0, "decode");

    private static (ImageIntake Intake, DecodedPixelBudget Budget) Intake(long capacity)
    {
        var budget = new DecodedPixelBudget(capacity);
        return (new ImageIntake(Options.Create(new PipelineOptions()), budget, new ImagingMetrics(Prometheus.Metrics.NewCustomRegistry()), Threads), budget);
    }

    /// <summary>The photo comes from scripts/setup.sh (npm face-api); without it these tests say so and skip.</summary>
    private sealed class SkippableFactWhenPhotoMissingAttribute : FactAttribute
    {
        public SkippableFactWhenPhotoMissingAttribute()
        {
            if (!File.Exists(Photo))
            {
                Skip = $"{Photo} is missing: run bash scripts/setup.sh";
            }
        }
    }
}
