using MatchService.Matching.Persons;

namespace MatchService.Matching.Tests;

public sealed class PoseKeypointsTests
{
    // A standing person facing the camera: head around (100, 40), shoulders at y 100, hips at y 220.
    private static (float X, float Y, float Score)[] Standing(float shoulderScore = 0.9f, float hipScore = 0.8f) =>
    [
        (100, 40, 0.9f), (92, 32, 0.9f), (108, 32, 0.9f), (84, 36, 0.5f), (116, 36, 0.5f),
        (70, 100, shoulderScore), (130, 98, shoulderScore), (60, 150, 0.7f), (140, 150, 0.7f), (58, 200, 0.6f), (142, 200, 0.6f),
        (80, 220, hipScore), (120, 222, hipScore), (80, 300, 0.5f), (120, 300, 0.5f), (80, 380, 0.4f), (120, 380, 0.4f),
    ];

    [Fact]
    public void TorsoRunsFromTheShouldersToTheHipsAcrossTheFourPoints()
    {
        var torso = new PoseKeypoints(Standing()).Torso(0.3f);
        Assert.NotNull(torso);
        Assert.Equal(new PersonBox(70, 99, 60, 122), torso.Value);
    }

    [Fact]
    public void AnUnsureHipLeavesTheTorsoToThePrior() =>
        Assert.Null(new PoseKeypoints(Standing(hipScore: 0.2f)).Torso(0.3f));

    [Fact]
    public void HeadShoulderSpansTheHeadAndBothShouldersWithItsMargins()
    {
        var box = new PoseKeypoints(Standing()).HeadShoulder(0.3f);
        Assert.NotNull(box);
        // Head top 32, lower shoulder 100: height 68; x 70..130 widened by 9 on each side.
        Assert.Equal(61, box.Value.X, 3);
        Assert.Equal(32 - (0.6f * 68), box.Value.Y, 3);
        Assert.Equal(78, box.Value.Width, 3);
        Assert.Equal(100 + (0.3f * 68) - (32 - (0.6f * 68)), box.Value.Height, 3);
    }

    [Fact]
    public void WithoutConfidentShouldersThereIsNoHeadShoulderBox() =>
        Assert.Null(new PoseKeypoints(Standing(shoulderScore: 0.1f)).HeadShoulder(0.3f));

    [Fact]
    public void SeventeenPointsAreRequired() =>
        Assert.Throws<MatchingArgumentException>(() => new PoseKeypoints(Standing()[..16]));
}
