using Google.Protobuf;
using MatchService.Contracts.V1;
using Grpc.Core;
using MatchService.Server.Products;

namespace MatchService.EndToEnd.Tests.Products;

/// <summary>Candidate validation as candidates arrive (no server needed): every rejection names the candidate and the rule.</summary>
public sealed class CandidateSetTests
{
    [Fact]
    public void AcceptsImagesAndNormalisesEmbeddings()
    {
        var set = new CandidateSet(10, 3, "product");
        set.Add(new Candidate { Id = "a", Category = "cups", Image = ByteString.CopyFromUtf8("bytes") });
        set.Add(new Candidate { Id = "b", Category = "cups", Embedding = Vec(3f, 0f, 4f) });
        Assert.Equal(["a", "b"], set.Items.Select(i => i.Id));
        Assert.Equal([0.6f, 0f, 0.8f], set.Items[1].Embedding!);
        Assert.Null(set.Items[0].Embedding);
    }

    [Theory]
    [InlineData("", "cups", "candidates[0]: id is empty")]
    [InlineData("x", "", "candidate 'x': category is empty")]
    public void MissingIdOrCategoryIsNamed(string id, string category, string message)
    {
        var error = Assert.Throws<RpcException>(() => new CandidateSet(10, 3, "product").Add(new Candidate { Id = id, Category = category, Embedding = Vec(1, 0, 0) }));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(message, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicatesLimitsDimensionsAndValuesAreNamed()
    {
        var set = new CandidateSet(2, 3, "product");
        set.Add(new Candidate { Id = "a", Category = "c", Embedding = Vec(1, 0, 0) });
        Assert.Contains("'a' appears twice", Detail(() => set.Add(new Candidate { Id = "a", Category = "c", Embedding = Vec(1, 0, 0) })), StringComparison.Ordinal);
        Assert.Contains("has 2 values; the product model 'product' gives 3", Detail(() => set.Add(new Candidate { Id = "short", Category = "c", Embedding = Vec(1, 0) })), StringComparison.Ordinal);
        Assert.Contains("embedding[1] is NaN", Detail(() => set.Add(new Candidate { Id = "nan", Category = "c", Embedding = Vec(1, float.NaN, 0) })), StringComparison.Ordinal);
        Assert.Contains("all zeros", Detail(() => set.Add(new Candidate { Id = "zero", Category = "c", Embedding = Vec(0, 0, 0) })), StringComparison.Ordinal);
        Assert.Contains("neither image nor embedding", Detail(() => set.Add(new Candidate { Id = "empty", Category = "c" })), StringComparison.Ordinal);
        set.Add(new Candidate { Id = "b", Category = "c", Embedding = Vec(0, 1, 0) });
        Assert.Contains("limit is 2 candidates per call", Detail(() => set.Add(new Candidate { Id = "c", Category = "c", Embedding = Vec(0, 0, 1) })), StringComparison.Ordinal);
    }

    private static string Detail(Action add)
    {
        var error = Assert.Throws<RpcException>(add);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        return error.Status.Detail;
    }

    private static Vector Vec(params float[] values)
    {
        var v = new Vector();
        v.Values.AddRange(values);
        return v;
    }
}
