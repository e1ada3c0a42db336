using Google.Protobuf;
using MatchService.Contracts.V1;
using MatchService.Server.Faces;
using MatchService.Server.Hosting;

namespace MatchService.Server.Tests;

/// <summary>What a face call's first bytes show (real serialized messages, cut where a slow upload would be).</summary>
public sealed class ImageCallPrefixTests
{
    private static readonly Image Photo = new() { Id = "a.jpg", Data = ByteString.CopyFrom(new byte[300_000]) };
    private static readonly FeatureWithConfidence Vectors = new() { Feature = { 0.5f, 0.5f }, Confidence = { 1f, 1f } };

    [Fact]
    public void AComparisonWhoseFirstSideIsAnImage_ShowsTwoImages()
    {
        var request = new CompareRequest { First = new() { Image = Photo }, Second = new() { Image = Photo } };
        Assert.Equal(2, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, FirstBytes(request)));
    }

    [Fact]
    public void AComparisonWithOnlyASecondSide_AnImage_ShowsOne() =>
        Assert.Equal(1, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, FirstBytes(new CompareRequest { Second = new() { Image = Photo } })));

    [Fact]
    public void PrecomputedVectorsFirst_AnEmptyImage_OrNoSide_ShowNothing()
    {
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath,
            FirstBytes(new CompareRequest { First = new() { Precomputed = Vectors }, Second = new() { Image = Photo } })));
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, FirstBytes(new CompareRequest { First = new() { Image = new Image() } })));
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, FirstBytes(new CompareRequest { SimilarityThreshold = 0.5f })));
    }

    [Fact]
    public void AVerifyMessageWhoseFirstEntryIsAnImage_ShowsOne_OptionsAloneShowNothing()
    {
        var images = new VerifyRequest { Images = { new VerifyImage { Image = Photo }, new VerifyImage { Image = Photo } } };
        Assert.Equal(1, ImageCallPrefix.ImagesShown(ImageCallPrefix.VerifyPath, FirstBytes(images)));
        var options = new VerifyRequest { Options = new VerifyOptions { NearestK = 3 } };
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.VerifyPath, FirstBytes(options)));
    }

    [Fact]
    public void ACompressedMessage_TooFewBytes_OrAnotherMethod_ShowNothing()
    {
        var request = new CompareRequest { First = new() { Image = Photo }, Second = new() { Image = Photo } };
        var compressed = FirstBytes(request);
        compressed[0] = 1;
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, compressed));
        Assert.Equal(0, ImageCallPrefix.ImagesShown(ImageCallPrefix.ComparePath, FirstBytes(request).AsSpan(0, 7)));
        Assert.Equal(0, ImageCallPrefix.ImagesShown("/match.v1.MatchService/RankCandidates", FirstBytes(request)));
    }

    [Theory]
    [InlineData("10S", 10_000)]
    [InlineData("250m", 250)]
    [InlineData("2M", 120_000)]
    [InlineData("1H", 3_600_000)]
    [InlineData("1500u", 1.5)]
    [InlineData("99999999n", 99.9999)]
    public void TheGrpcTimeoutHeaderReadsEveryUnit(string header, double milliseconds) =>
        Assert.Equal(milliseconds, GrpcTimeoutHeader.Parse(header)!.Value.TotalMilliseconds, 4);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("10")]
    [InlineData("10s")]
    [InlineData("-5S")]
    [InlineData("123456789S")]
    public void AnAbsentOrMalformedGrpcTimeoutIsNone(string? header) => Assert.Null(GrpcTimeoutHeader.Parse(header));

    /// <summary>The message as framed on the wire, cut to what <see cref="ImageCallPrefix"/> reads.</summary>
    private static byte[] FirstBytes(IMessage message)
    {
        var framed = RawHttp2Connection.Framed(message);
        return framed[..Math.Min(framed.Length, ImageCallPrefix.Length)];
    }
}
