using System.Drawing;
using MatchService.Imaging.Geometry;

namespace MatchService.Vision.Tests;

/// <summary>The decoding of the face models' outputs and face-api's square padding, on hand-made inputs.</summary>
public sealed class DecodingTests
{
    [Fact]
    public void NmsKeepsTheBestOfOverlappingBoxesAndDisjointOnes()
    {
        float[] boxes = [0, 0, 1, 1, 0.05f, 0.05f, 1, 1, 2, 2, 3, 3, 0, 0, 1, 1];
        float[] scores = [0.8f, 0.9f, 0.7f, 0.5f];
        Assert.Equal([1, 2], NonMaxSuppression.Select(boxes, scores, scoreThreshold: 0.5f, iouThreshold: 0.5f, maxResults: 10));
        Assert.Equal([1], NonMaxSuppression.Select(boxes, scores, 0.5f, 0.5f, maxResults: 1));
        Assert.Equal([1, 0, 2], NonMaxSuppression.Select(boxes, scores, 0.5f, iouThreshold: 0.95f, maxResults: 10));
    }

    [Fact]
    public void NmsRejectsMismatchedInputWithTheCounts()
    {
        var e = Assert.Throws<ArgumentException>(() => NonMaxSuppression.Select(new float[7], new float[2], 0.5f, 0.5f, 10));
        Assert.Contains("expected 8 box coordinates for 2 scores, got 7", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SsdBoxesMapFromThePaddedSquareToImagePixels()
    {
        // A 200x100 image is padded at the bottom to 200x200: relative y 0.5 is the image's bottom edge.
        float[] boxes = [0.25f, 0.1f, 0.5f, 0.6f];
        var face = Assert.Single(SsdBoxDecoder.Decode(boxes, [0.9f], 200, 100));
        Assert.Equal(20, face.Box.X, 3);
        Assert.Equal(50, face.Box.Y, 3);
        Assert.Equal(100, face.Box.Width, 3);
        Assert.Equal(50, face.Box.Height, 3);
        Assert.Empty(SsdBoxDecoder.Decode(boxes, [0.4f], 200, 100));
    }

    [Fact]
    public void BottomRightPaddingPutsAllPaddingAfterTheImage()
    {
        Assert.Equal(new PixelBox(0, 0, 10, 10), SquareWindow.For(10, 4, SquarePadding.BottomRight));
        Assert.Equal(new PixelBox(0, 0, 5, 5), SquareWindow.For(5, 2, SquarePadding.BottomRight));
        Assert.Equal(new PixelBox(0, 0, 7, 7), SquareWindow.For(2, 7, SquarePadding.BottomRight));
    }

    [Theory]
    [InlineData(5, 10, 2)] // tall: diff 5, after = round(2.5) = 3 columns right, 2 left
    [InlineData(5, 2, 1)]  // diff 3: after = round(1.5) = 2 (JavaScript rounds .5 up), before = 1
    [InlineData(6, 2, 2)]  // diff 4: 2 after, 2 before
    [InlineData(2, 7, 2)]  // tall: diff 5, 3 columns right, 2 left
    public void CentredPaddingPutsTheOddPixelAfterTheImage(int width, int height, int before)
    {
        var side = Math.Max(width, height);
        var expected = width >= height ? new PixelBox(0, -before, side, side) : new PixelBox(-before, 0, side, side);
        Assert.Equal(expected, SquareWindow.For(width, height, SquarePadding.Centered));
    }

    [Fact]
    public void LandmarksDecodeIntoTheCropAndRejectAWrongLength()
    {
        // A point at the centre of the net input is the centre of the (square) crop, shifted by the crop corner.
        var output = Enumerable.Repeat(0.5f, 136).ToArray();
        var landmarks = FaceLandmarks68.Decode(output, 80, 80, new PointF(10, 20));
        Assert.All(landmarks.Points, p => Assert.Equal(new PointF(50, 60), p));
        var e = Assert.Throws<ArgumentException>(() => FaceLandmarks68.Decode(new float[10], 80, 80, PointF.Empty));
        Assert.Contains("expected 136", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClippingKeepsCropsInsideTheImage()
    {
        // face-api floors x, y, width and height separately: 50 − 5.7 = 44.3 → 44.
        Assert.Equal(new Rectangle(0, 5, 12, 44), FaceCrop.ClipAtImageBorders(new RectangleF(-3.5f, 5.7f, 15.9f, 60f), 100, 50));
    }

    [Fact]
    public void TheLandmarkCheckWindowIsWidenedAboutTheCentreThenShiftedByTheLongerSide()
    {
        // 40 × 20 box widened 1.5× about its centre (30, 30) to 60 × 30, then moved 0.1 × 40 = 4 px right and down.
        Assert.Equal(new RectangleF(4, 19, 60, 30), LandmarkAgreement.PerturbedWindow(new RectangleF(10, 20, 40, 20), scale: 1.5, shift: 0.1));
    }

    [Fact]
    public void LandmarkDisagreementIsTheMeanPointDistanceInBoxSides()
    {
        var output = Enumerable.Repeat(0.5f, 136).ToArray();
        var first = FaceLandmarks68.Decode(output, 80, 80, new PointF(10, 20));
        var second = FaceLandmarks68.Decode(output, 80, 80, new PointF(14, 23)); // every point 5 px away
        Assert.Equal(0.1, LandmarkAgreement.Disagreement(first, second, new RectangleF(0, 0, 50, 30)), 6);
        Assert.Equal(0, LandmarkAgreement.Disagreement(first, first, new RectangleF(0, 0, 50, 30)));
        Assert.Throws<ArgumentException>(() => LandmarkAgreement.Disagreement(first, second, RectangleF.Empty));
    }
}
