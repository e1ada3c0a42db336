using MatchService.ModelForge.FaceApi;
using MatchService.ModelForge.Tests.Support;
using MatchService.ModelForge.Weights;

namespace MatchService.ModelForge.Tests;

/// <summary>The SSD on a coarser grid and the tiny face detector: anchors and output sizes.</summary>
public sealed class SmallerDetectorTests
{
    [Fact]
    public void GridAnchorsAt512ReproduceFaceApisTable()
    {
        var table = TfjsWeightMap.Load(RepoPaths.FaceApiWeights, SsdMobilenetV1Writer.WeightsName)["Output/extra_dim"].Values;
        var rebuilt = SsdMobilenetV1Writer.GridAnchors(table, 512);
        Assert.Equal(table.Length, rebuilt.Length);
        var worst = table.Select((v, i) => Math.Abs(v - rebuilt[i])).Max();
        Assert.True(worst < 2e-3, $"largest anchor coordinate difference {worst}");
    }

    [Theory]
    [InlineData(512, 5118)]
    [InlineData(320, (20 * 20 * 3) + (6 * ((10 * 10) + (5 * 5) + (3 * 3) + (2 * 2) + 1)))]
    [InlineData(256, (16 * 16 * 3) + (6 * ((8 * 8) + (4 * 4) + (2 * 2) + 1 + 1)))]
    public void SsdAnchorCountFollowsTheGrids(int input, int anchors) =>
        Assert.Equal(anchors, SsdMobilenetV1Writer.AnchorCount(input));

    [Theory]
    [InlineData(416, 13)]
    [InlineData(320, 10)]
    [InlineData(224, 7)]
    public void TinyDetectorGridIsFaceApis(int input, int grid) =>
        Assert.Equal(grid * grid * 5, TinyFaceDetectorWriter.AnchorCount(input));
}
