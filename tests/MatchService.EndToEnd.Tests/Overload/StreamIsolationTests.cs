using Google.Protobuf;
using Grpc.Core;
using MatchService.Contracts.V1;
using MatchService.EndToEnd.Tests.Fixtures;

namespace MatchService.EndToEnd.Tests.Overload;

/// <summary>
/// Fault isolation on the real server: a Verify stream that sends garbage mid-way ends alone, with INVALID_ARGUMENT
/// naming the image, while a stream running beside it on the same connection answers as if nothing had happened.
/// </summary>
[Collection(CalibratedFaceServerGroup.Name)]
public sealed class StreamIsolationTests(CalibratedFaceServer fixture)
{
    private static VerifyImage Item(string id, byte[] bytes) => new() { Image = new Image { Id = id, Data = ByteString.CopyFrom(bytes) } };

    [ModelsFact]
    public async Task AStreamThatSendsGarbageMidWayEndsAloneAndItsNeighbourIsAnswered()
    {
        using var channel = fixture.Server!.CreateChannel();
        var face = fixture.Faces.First(f => f.Sample == 5 && f.Variants.Count >= 3);
        var views = new[] { Item("original", face.Original) }.Concat(face.Variants.Take(3).Select(v => Item(v.Key, v.Value))).ToList();
        var alone = await channel.VerifyAsync([new VerifyRequest { Images = { views } }]);

        var client = new Contracts.V1.MatchService.MatchServiceClient(channel);
        using var broken = client.Verify();
        using var neighbour = client.Verify();
        await broken.RequestStream.WriteAsync(new VerifyRequest { Images = { views[0] } });
        await neighbour.RequestStream.WriteAsync(new VerifyRequest { Images = { views[0], views[1] } });
        await broken.RequestStream.WriteAsync(new VerifyRequest { Images = { Item("junk", [.. "this is not an image"u8, .. new byte[512]]) } });
        await neighbour.RequestStream.WriteAsync(new VerifyRequest { Images = { views[2], views[3] } });

        // Verify answers once the client half-closes its stream (the set is complete only then), failure or not.
        await broken.RequestStream.CompleteAsync();
        await neighbour.RequestStream.CompleteAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => broken.ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("image 'junk': not a JPEG, PNG or WebP", error.Status.Detail, StringComparison.Ordinal);

        var answered = await neighbour.ResponseAsync;
        Assert.Equal(alone.Verdict, answered.Verdict);
        Assert.Equal(alone.FusedSimilarity, answered.FusedSimilarity, 5);
        Assert.Equal(alone.Pairs.Count, answered.Pairs.Count);
    }
}
