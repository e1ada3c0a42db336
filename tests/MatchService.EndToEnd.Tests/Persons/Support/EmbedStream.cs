using MatchService.Contracts.V1;
using Grpc.Core;

using V1 = MatchService.Contracts.V1;

namespace MatchService.EndToEnd.Tests.Persons.Support;

/// <summary>What one EmbedPersons call returned.</summary>
/// <param name="Images">Image results in arrival order.</param>
/// <param name="Summary">The summary (last message).</param>
/// <param name="Last">The summary's whole response (model references).</param>
/// <param name="Trailers">The call's trailers.</param>
public sealed record EmbedOutcome(IReadOnlyList<EmbedImageResult> Images, EmbedSummary Summary, EmbedResponse Last, Metadata Trailers)
{
    /// <summary>The result of one image by id.</summary>
    public EmbedImageResult Image(string id) => Images.Single(i => i.ImageId == id);

    /// <summary>Index of a person in the summary's persons list.</summary>
    public int IndexOf(string imageId, int person) =>
        Summary.Persons.Select((p, i) => (p, i)).Single(x => x.p.ImageId == imageId && x.p.PersonIndex == person).i;
}

/// <summary>Runs an EmbedPersons stream: writes every request, half-closes, reads everything.</summary>
internal static class EmbedStream
{
    public static async Task<EmbedOutcome> RunAsync(V1.MatchService.MatchServiceClient client, params EmbedRequest[] requests)
    {
        using var call = client.EmbedPersons(deadline: DateTime.UtcNow.AddSeconds(60));
        foreach (var request in requests)
        {
            await call.RequestStream.WriteAsync(request);
        }

        await call.RequestStream.CompleteAsync();
        var images = new List<EmbedImageResult>();
        EmbedResponse? last = null;
        await foreach (var response in call.ResponseStream.ReadAllAsync())
        {
            if (response.ResultCase == EmbedResponse.ResultOneofCase.Image)
            {
                Assert.Null(last);
                images.Add(response.Image);
            }
            else
            {
                last = response;
            }
        }

        Assert.NotNull(last);
        return new EmbedOutcome(images, last.Summary, last, call.GetTrailers());
    }

    /// <summary>One request holding every item.</summary>
    public static EmbedRequest Request(params EmbedImage[] images)
    {
        var request = new EmbedRequest();
        request.Images.AddRange(images);
        return request;
    }
}
